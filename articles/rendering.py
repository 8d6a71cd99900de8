"""Markdown → HTML → sanitized HTML, on write.

Readers' requests only read the stored result. Rendering is article-wide because
citation numbers follow first use across all sections: saving any section re-renders
its article (its eight sections take about 80 ms).
"""

import re
import secrets
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import markdown
from django.utils.text import slugify
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from citations.markdown_ext import (
    CitationExtension,
    MisplacedCitation,
    Numbering,
    UnknownCitation,
    scan_markers,
)
from core.text import without_invalid_characters

from .sanitizer import SAFE_ID, sanitize, stripped_parts


@dataclass(frozen=True)
class Problem:
    """Something in a section's Markdown that an editor must fix, and where it is."""

    line: int | None  # within the section's text, 1-based
    message: str
    section: str = ""  # the section's key
    marker: str = ""  # the citation key it is about, if it is about one

    def __str__(self):
        return f"Line {self.line}: {self.message}" if self.line else self.message


class RenderError(ValueError):
    """Markdown an editor must fix: `problems` lists each (a Problem) with where it is."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(f"{p.section}: {p}" if p.section else str(p) for p in problems))


class HeadingIds(Treeprocessor):
    """Stable anchors: `<section key>-<slug of the heading>`, unique within the section."""

    def __init__(self, md, prefix):
        super().__init__(md)
        self.prefix = prefix

    def run(self, root):
        # The section's own heading is `<key>-title` on the page.
        seen = {f"{self.prefix}-title"}
        for element in root.iter():
            if element.tag in ("h3", "h4", "h5", "h6"):
                given = element.get("id") or ""
                if (
                    given.startswith(f"{self.prefix}-")
                    and SAFE_ID.match(given)
                    and given not in seen
                ):
                    seen.add(given)  # an editor's own anchor, inside the section's namespace
                    continue
                text = "".join(element.itertext())
                # Ids the sanitizer keeps: a-z, 0-9 and "-" (slugify keeps "_" and can be empty).
                slug = re.sub(r"[^a-z0-9]+", "-", slugify(text))[:60].strip("-") or "heading"
                base = f"{self.prefix}-{slug}"
                anchor, n = base, 2
                while anchor in seen:
                    anchor, n = f"{base}-{n}", n + 1
                seen.add(anchor)
                element.set("id", anchor)
        return None


class PlainTables(Treeprocessor):
    """Header cells get scope="col"; alignment styles go (the CSP forbids inline styles)."""

    def run(self, root):
        for element in root.iter():
            if element.tag in ("th", "td"):
                element.attrib.pop("style", None)
            if element.tag == "th":
                element.set("scope", "col")
        return None


class SignedMarkers(Treeprocessor):
    """Signs every attribute of the citation markers with this render's secret.

    The sanitizer keeps the site's own classes and ids (cite, cite-link, level-…,
    cite-N-M, aria-hidden labels) only on signed values, so an editor's raw HTML or
    attr_list cannot make a citation marker, an evidence label or a second anchor; the
    secret is new for every render, so no text can carry it. Raw HTML is not in this tree
    (Markdown keeps it aside until the tree is written out) and no Markdown syntax the
    site enables makes a <sup>: every sup.cite here is the citation extension's.
    """

    def __init__(self, md, signature):
        super().__init__(md)
        self.signature = signature

    def run(self, root):
        for sup in root.iter("sup"):
            if sup.get("class") == "cite":
                for element in sup.iter():
                    for name, value in list(element.attrib.items()):
                        element.set(name, self.signature + value)
        return None


class SiteExtension(Extension):
    def __init__(self, prefix, signature, **kwargs):
        self.prefix, self.signature = prefix, signature
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        md.treeprocessors.register(HeadingIds(md, self.prefix), "heading_ids", 5)
        md.treeprocessors.register(PlainTables(md), "plain_tables", 4)
        # After the citation extension has recorded its claims (-10).
        md.treeprocessors.register(SignedMarkers(md, self.signature), "signed_markers", -20)


@dataclass
class RenderedSection:
    html: str
    claims: list
    uncited_numbers: list
    faq: list = field(default_factory=list)
    word_count: int = 0
    stripped: list = field(default_factory=list)


# Python-Markdown reads nested lists and quotes by recursion, and a few hundred levels
# exhaust Python's stack (a 500, and slow before that). Text for readers nests a few
# levels: deeper is refused before parsing.
MAX_NESTING = 20
NESTING = re.compile(r"(?:[ \t]|>|[*+-](?=[ \t])|\d{1,9}[.)](?=[ \t]))*")
MARKER = re.compile(r"(?:>|[*+-]|\d+[.)]) ?")
TOO_DEEP = (
    f"lists, quotes or emphasis are nested more than {MAX_NESTING} levels deep; "
    "flatten them to render the text."
)


def too_deep(text):
    """Lines nested deeper than MAX_NESTING: quote marks, list markers, 4-space indents."""
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip(" \t>-*_"):
            continue  # a rule (- - -) or an empty quote: nothing nests
        lead = NESTING.match(line.expandtabs(4)).group()
        markers = len(MARKER.findall(lead))
        indent = MARKER.sub("", lead).count(" ") // 4  # not the space after each marker
        if markers + indent > MAX_NESTING:
            return [Problem(number, TOO_DEEP)]
    return []


def render_markdown(text, *, prefix, citations, numbering=None):
    """Render one section's Markdown. Raises RenderError for unknown citation keys."""
    # Invisible controls (Markdown's own placeholders are \x02 and \x03) never render.
    text = without_invalid_characters(text)
    deep = too_deep(text)
    if deep:
        raise RenderError(deep)
    problems = [
        Problem(line, f"unknown citation key “{key}”.", marker=key)
        for key, line in scan_markers(text)
        if key not in citations
    ]
    if problems:
        raise RenderError(problems)
    cite = CitationExtension(citations, numbering or Numbering())
    signature = secrets.token_hex(16)
    md = markdown.Markdown(
        extensions=[
            *["tables", "attr_list", "admonition", "sane_lists"],
            cite,
            SiteExtension(prefix, signature),
        ],
        output_format="html",
    )
    try:
        raw = md.convert(text)
    except RecursionError as exc:  # nesting the line scan cannot see (emphasis in emphasis)
        raise RenderError([Problem(None, TOO_DEEP[0].upper() + TOO_DEEP[1:])]) from exc
    except UnknownCitation as exc:  # a marker scan_markers could not see
        raise RenderError([Problem(exc.line, str(exc), marker=exc.key)]) from exc
    except MisplacedCitation as exc:
        lines = [line for key, line in scan_markers(text) if key == exc.key]
        line = lines[exc.occurrence] if exc.occurrence < len(lines) else None
        raise RenderError([Problem(line, str(exc), marker=exc.key)]) from exc
    html = sanitize(raw, prefix=prefix, signature=signature)
    stripped = stripped_parts(raw, text, prefix=prefix, signature=signature)
    if PLACEHOLDER_MARKS.search(raw):
        # The input has none (removed above), so Markdown left one of its own: a code
        # span cut in two by a link it could not close. What it leaves is garbled text.
        stripped.append(
            "Part of the text could not be rendered: a link whose ( ) or [ ] are not "
            "closed runs into a `code span`."
        )
    return RenderedSection(
        html=html,
        claims=cite.claims,
        uncited_numbers=cite.uncited_numbers,
        faq=extract_faq(html) if prefix == "faq" else [],
        word_count=count_words(html),
        stripped=stripped,
    )


PLACEHOLDER_MARKS = re.compile("[\x02\x03]")


def count_words(html):
    text = re.sub(r'<span class="cite-level"[^>]*>[^<]*</span>', " ", html)
    text = re.sub(r"<sup[^>]*>.*?</sup>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return len(re.findall(r"[\w’'-]+", text))


def extract_faq(html):
    """Questions (h3) and their answers as plain text, for FAQPage structured data."""
    faq = []
    for match in re.finditer(r'<h3 id="([^"]+)">(.*?)</h3>(.*?)(?=<h3 |\Z)', html, flags=re.S):
        answer = re.sub(r"<sup[^>]*>.*?</sup>", "", match.group(3), flags=re.S)
        answer = re.sub(r'<div class="admonition.*?</div>', "", answer, flags=re.S)
        faq.append(
            {
                "id": match.group(1),
                "question": plain(match.group(2)),
                # The marker's space goes with it: "real [1]." reads "real."
                "answer": re.sub(r"\s+([.,;:!?])", r"\1", plain(answer)),
            }
        )
    return faq


def plain(html):
    import html as htmllib

    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


__all__ = [
    "Problem",
    "RenderError",
    "RenderedSection",
    "etree",
    "render_markdown",
    "sanitize",
]
