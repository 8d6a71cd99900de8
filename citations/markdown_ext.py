"""`[@key]` and `[@a; @b]` citation markers for Python-Markdown.

An inline processor turns each marker into numbered superscript links; a tree processor
then walks the finished tree, cuts each block into sentences and records which sentence
every marker belongs to (the claims), and which sentences state a number without
citing anything. Numbers are given by first use across the whole article: the caller
passes one `Numbering` to every section, rendered in order.
"""

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

# `[@a; @b]`, optionally naming the outcome the claim speaks to: `[@a; @b; #mood]`.
MARKER_RE = (
    r"\[@([A-Za-z0-9_][A-Za-z0-9_.:-]*(?:\s*;\s*@[A-Za-z0-9_][A-Za-z0-9_.:-]*)*)"
    r"(?:\s*;\s*#([a-z0-9][a-z0-9-]*))?\]"
)
KEY_RE = re.compile(r"@([A-Za-z0-9_][A-Za-z0-9_.:-]*)")
# A sentence ends at . ! or ? followed by space and a capital letter, digit or quote.
# MARK stands for a marker while a block is cut into sentences: markers between the full
# stop and the next sentence ("claim. [@key] Next.") belong to the sentence before it.
MARK = "\ue000"
SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”’)]?(?:\s*" + MARK + r")*\s+(?=[A-Z0-9\"“‘(*])")
HAS_NUMBER = re.compile(r"\d")
BLOCKS = {"p", "li", "td", "th", "dd", "blockquote"}


class UnknownCitation(Exception):
    def __init__(self, key, line=None):
        self.key, self.line = key, line
        where = f" on line {line}" if line else ""
        super().__init__(f"Unknown citation key “{key}”{where}.")


class MisplacedCitation(Exception):
    """A marker that follows no claim (alone in a paragraph or cell, in a heading or title)."""

    def __init__(self, key, occurrence=0):
        self.key, self.occurrence = key, occurrence  # the key's Nth marker in the text
        super().__init__(
            f"The citation “{key}” does not follow a claim: put it right after the sentence "
            "it supports."
        )


@dataclass
class Numbering:
    """Reference numbers by first use, and how many times each has been cited so far."""

    numbers: dict = field(default_factory=dict)
    uses: dict = field(default_factory=dict)

    def cite(self, key):
        number = self.numbers.setdefault(key, len(self.numbers) + 1)
        self.uses[key] = self.uses.get(key, 0) + 1
        return number, f"cite-{number}-{self.uses[key]}"


@dataclass
class Claim:
    sentence: str
    key: str
    number: int
    anchor: str
    position: int
    outcome: str = ""


def markers(text):
    """Every marker match with its line number, skipping code and escaped brackets."""
    in_fence = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        visible = re.sub(r"`[^`]*`", "", line)
        for match in re.finditer(MARKER_RE, visible):
            backslashes = len(visible[: match.start()]) - len(visible[: match.start()].rstrip("\\"))
            if backslashes % 2:  # \[@key] is escaped; \\[@key] is a backslash, then a marker
                continue
            yield match, number


def scan_markers(text):
    """Every marker key with its line number, skipping code and escaped brackets.

    Lets an unknown key be reported with its line before anything is rendered.
    """
    return [
        (key, number) for match, number in markers(text) for key in KEY_RE.findall(match.group(0))
    ]


def claim_lines(text, claims):
    """{claim position: line of its marker in text}: a claim's Nth use of a key is the
    Nth marker naming that key."""
    by_key = {}
    for key, line in scan_markers(text):
        by_key.setdefault(key, []).append(line)
    seen, lines = {}, {}
    for claim in sorted(claims, key=lambda c: c.position):
        index = seen.get(claim.key, 0)
        seen[claim.key] = index + 1
        found = by_key.get(claim.key, [])
        lines[claim.position] = found[index] if index < len(found) else None
    return lines


def scan_outcomes(text):
    """Every `#outcome` item in the markers, with its line."""
    return [(match.group(2), number) for match, number in markers(text) if match.group(2)]


STASH_PLACEHOLDER = re.compile("\x02[^\x03]*\x03")


def clean_sentence(text):
    """The sentence as a reader sees it: raw-HTML placeholders gone, spacing tidied."""
    text = " ".join(STASH_PLACEHOLDER.sub("", text).split())
    return re.sub(r"\s+([.,;:!?])", r"\1", text)


class CitationInlineProcessor(InlineProcessor):
    def __init__(self, pattern, ext):
        super().__init__(pattern)
        self.ext = ext

    def handleMatch(self, m, data):
        sup = etree.Element("sup", {"class": "cite"})
        keys = KEY_RE.findall(m.group(0))
        for index, key in enumerate(keys):
            citation = self.ext.citations.get(key)
            if citation is None:
                raise UnknownCitation(key)
            number, anchor = self.ext.numbering.cite(key)
            level = citation.level
            # The name starts with what the marker shows ("4 lab/opinion"), so a voice
            # user who says what they see can follow it (WCAG 2.5.3, Label in Name); the
            # space is in the text, not a margin, for the same reason.
            link = etree.SubElement(
                sup,
                "a",
                {
                    "href": f"#ref-{number}",
                    "id": anchor,
                    "class": f"cite-link level-{level.value}",
                    "aria-label": f"{number} {level.marker}, reference: "
                    f"{citation.accessible_description}",
                    "data-key": key,
                    **({"data-outcome": m.group(2)} if m.group(2) else {}),
                },
            )
            link.text = f"{number} "
            self.ext.created.append((key, anchor))
            label = etree.SubElement(link, "span", {"class": "cite-level"})
            label.text = level.marker
            if index < len(keys) - 1:
                link.tail = ", "
        return sup, m.start(0), m.end(0)


class ClaimTreeprocessor(Treeprocessor):
    """Records the sentence each marker follows, and sentences with uncited numbers."""

    def __init__(self, md, ext):
        super().__init__(md)
        self.ext = ext

    def run(self, root):
        links = [link for link in root.iter("a") if link.get("data-key")]
        keys = [link.get("data-key") for link in links]
        # Emphasis that never closes (e.g. "*a [@b]**c*") can make Markdown drop an inline
        # element it already built: a numbered marker with no link on the page.
        present = {link.get("id") for link in links}
        created = [key for key, _ in self.ext.created]
        for index, (key, anchor) in enumerate(self.ext.created):
            if anchor not in present:
                raise MisplacedCitation(key, created[:index].count(key))
        for block in root.iter():
            if block.tag in BLOCKS and not self.is_title(block):
                self.read_block(block)
        for index, link in enumerate(links):
            if link.get("data-key"):  # never attached to a sentence: no claim to cite
                raise MisplacedCitation(keys[index], keys[:index].count(keys[index]))
        return None

    @staticmethod
    def is_title(block):
        return "admonition-title" in (block.get("class") or "")

    def pieces(self, element):
        """Text and markers of a block in order, not descending into nested blocks."""
        if element.text:
            yield element.text
        for child in element:
            if child.tag == "sup" and child.get("class") == "cite":
                yield child
            elif child.tag not in BLOCKS:
                yield from self.pieces(child)
            if child.tail:
                yield child.tail

    def read_block(self, block):
        pieces = list(self.pieces(block))
        markers = [p for p in pieces if not isinstance(p, str)]
        flat = "".join(p.replace(MARK, "") if isinstance(p, str) else MARK for p in pieces)
        sentences, start = [], 0
        for match in SENTENCE_BREAK.finditer(flat):
            sentences.append(flat[start : match.end()])
            start = match.end()
        sentences.append(flat[start:])
        taken = iter(markers)
        for flat_sentence in sentences:
            text = clean_sentence(flat_sentence.replace(MARK, ""))
            own = [next(taken) for _ in range(flat_sentence.count(MARK))]
            if not text:
                continue
            if own:
                for marker in own:
                    for link in marker.iter("a"):
                        self.ext.claims.append(
                            Claim(
                                sentence=text,
                                key=link.get("data-key"),
                                number=int(link.text),
                                anchor=link.get("id"),
                                position=len(self.ext.claims),
                                outcome=link.get("data-outcome", ""),
                            )
                        )
                        del link.attrib["data-key"]
                        link.attrib.pop("data-outcome", None)
            elif HAS_NUMBER.search(text):
                self.ext.uncited_numbers.append(text)


class CitationExtension(Extension):
    def __init__(self, citations, numbering, **kwargs):
        self.citations = citations
        self.numbering = numbering
        self.claims = []
        self.uncited_numbers = []
        self.created = []  # (key, anchor) of every marker built, to find any Markdown lost
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        # After code spans (190) and escapes (180), before links (160).
        md.inlinePatterns.register(CitationInlineProcessor(MARKER_RE, self), "citation", 175)
        # After the unescape step (0), so sentences read as the reader sees them.
        md.treeprocessors.register(ClaimTreeprocessor(md, self), "claims", -10)
