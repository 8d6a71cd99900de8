"""Every hostile string and the whole Big List of Naughty Strings through the functions
that turn typed text into HTML or downloads: cheap, so all of them, every time.

- the comment renderer (plain text → <p>, <br>, links);
- the Markdown pipeline and its sanitizer (editors' text → stored HTML), and the rule
  that the editor is told whenever the sanitizer would remove something;
- the reference formatter (citation fields → the reference HTML);
- the JSON-LD block (titles, summaries and FAQ text cannot close the script element);
- the admin's comment columns and revision diffs;
- the RIS, BibTeX and CSL-JSON exports (a field cannot start a new record or field).
"""

import datetime
import json
import re
from unittest import mock

import bibtexparser

from articles import rendering
from articles.structured_data import json_ld
from citations.exports import to_bibtex, to_csl_json, to_ris
from citations.formatting import ama_html
from citations.models import Citation, StudyDesign, Verification
from comments.admin import CommentAdmin
from comments.models import Comment
from comments.rendering import render_plain_text
from core.revisions import inline_diff

from . import tally
from .checks import parse, problems_in, unescaped
from .corpus import BLNS, EVERYTHING, HOSTILE
from .safety import article_html_problems, elements, inventory, well_formed

# Strings as they may arrive: alone, inside a sentence, across lines, doubled.
VARIANTS = [
    "{}",
    "Before {} after.",
    "{}\n{}\n\n{}",
    "https://example.org/{} {}",
]


def variants(strings, shapes=VARIANTS):
    for text in strings:
        for shape in shapes:
            yield shape.replace("{}", text)


def page_with(fragment):
    return f"<!DOCTYPE html><html><head><title>t</title></head><body>{fragment}</body></html>"


def test_comment_renderer_keeps_everything_as_text():
    """Only <p>, <br> and http(s) links come out; markup typed by a reader is text."""
    count = 0
    for text in variants(EVERYTHING):
        html = render_plain_text(text)
        for element in elements(html):
            assert element.tag in {"p", "br", "a"}, (text, html)
            if element.tag == "a":
                assert set(element.attrib) == {"href", "rel"}, html
                assert re.match(r"https?://", element.get("href"), re.IGNORECASE), html
        assert not unescaped(html, text) or text.startswith("https://"), (text, html)
        count += 1
    tally.sent("function: comment renderer", *EVERYTHING)
    assert count == len(EVERYTHING) * len(VARIANTS)


def sanitizer_spy():
    """render_markdown with a look at the HTML before the sanitizer ran."""
    seen = {}
    real = rendering.sanitize

    def spy(html, prefix=None, signature=None):
        # The pipeline's signature on its own markers is not part of what a reader gets.
        seen["raw"] = html.replace(signature or "", "")
        seen["clean"] = real(html, prefix=prefix, signature=signature)
        return seen["clean"]

    return seen, mock.patch.object(rendering, "sanitize", spy)


CITATIONS = {
    "trial2020": Citation(
        key="trial2020",
        title="A trial",
        study_design=StudyDesign.RCT,
        verification=Verification.VERIFIED,
    )
}


def check_markdown(text, prefix="overview"):
    seen, patched = sanitizer_spy()
    with patched:
        try:
            result = rendering.render_markdown(text, prefix=prefix, citations=CITATIONS)
        except rendering.RenderError:
            return None  # refused before anything is rendered (an unknown key, …)
    html = result.html
    assert not article_html_problems(html), (text, html, article_html_problems(html))
    assert well_formed(html), (text, html)
    removed = inventory(seen["raw"]) - inventory(seen["clean"])
    if removed:
        # The sanitizer removed something: the editor must be told (the admin form
        # shows result.stripped as errors and does not save).
        assert result.stripped, f"silently stripped {dict(removed)} from {text!r}"
    return result


def test_markdown_pipeline_output_is_safe_and_anything_removed_is_reported():
    """Alone, and as a FAQ question and answer with a citation (the FAQ feeds JSON-LD)."""
    shapes = ["{}", "### {}?\n\n{} [@trial2020]."]
    for text in variants(EVERYTHING, shapes):
        check_markdown(text, prefix="faq")
    tally.sent("function: Markdown pipeline", *EVERYTHING)


def test_sanitizer_alone():
    """The sanitizer on raw HTML (what Markdown passes through): allow-list only."""
    for text in variants(EVERYTHING, VARIANTS[:2]):
        html = rendering.sanitize(text)
        assert not article_html_problems(html), (text, html)
        assert well_formed(html), (text, html)
        assert rendering.sanitize(html) == html  # stable: sanitizing again changes nothing
    tally.sent("function: sanitizer", *EVERYTHING)


TEXT_FIELDS = [
    "title",
    "container_title",
    "volume",
    "issue",
    "pages",
    "doi",
    "url",
    "sample_size",
    "finding",
    "described_as",
    "pmid",
]


def citation_with(value, located=True):
    fields = dict.fromkeys(TEXT_FIELDS, value)
    return Citation(
        key="k",
        authors=[{"family": value, "given": value}, {"literal": value}],
        year=2020,
        study_design=StudyDesign.RCT if located else StudyDesign.UNKNOWN,
        verification=Verification.VERIFIED if located else Verification.NOT_LOCATED,
        **fields,
    )


def test_reference_text_escapes_every_field():
    for value in EVERYTHING:
        for located in (True, False):
            html = str(ama_html(citation_with(value, located)))
            page = page_with(html)
            assert not problems_in(page), (value, html)
            assert not unescaped(html, value), (value, html)
            for element in elements(html):
                assert element.tag in {"a", "i"}, (value, html)
                if element.tag == "a":
                    assert re.match(r"https?://", element.get("href")), html
    tally.sent("function: reference formatter (every citation field)", *EVERYTHING)


def test_structured_data_cannot_be_closed_by_text():
    for value in EVERYTHING:
        data = [{"name": value, "description": value, "mainEntity": [{"name": value}]}]
        block = str(json_ld(data))
        assert not set("<>&") & set(block), value
        page = page_with(f'<script type="application/ld+json">{block}</script>')
        (script,) = list(parse(page).iter("script"))
        assert json.loads(script.text) == data
        assert not problems_in(page)
    tally.sent("function: JSON-LD block", *EVERYTHING)


def test_moderation_columns_and_diffs_escape_everything():
    admin = CommentAdmin(Comment, None)
    for value in EVERYTHING:
        comment = Comment(
            pk=1, name=value, body=value, risk_flags=["dosing"], created=datetime.datetime.now()
        )
        editorial = Comment(pk=2, name=value, body=value, is_editorial=True)
        shown = [
            admin.text(comment),
            admin.display_name(editorial),
            admin.needs_care(comment),
            inline_diff(value, value + " changed"),
            inline_diff("old", value),
        ]
        for html in shown:
            assert not problems_in(page_with(html)), (value, html)
            assert not unescaped(str(html), value), (value, html)
    tally.sent("function: moderation columns and revision diffs", *EVERYTHING)


def test_exports_keep_every_value_inside_its_field():
    """A value cannot add a line to RIS, a field or entry to BibTeX, or break the JSON."""
    for value in EVERYTHING:
        citation = citation_with(value)
        ris = to_ris([citation])
        for line in ris.split("\r\n"):
            assert line == "" or re.match(r"^[A-Z][A-Z0-9]  - ", line), (value, line)
        assert ris.count("TY  - ") == 1 and ris.count("ER  - ") == 1
        assert len(json.loads(to_csl_json([citation]))) == 1
        bib = to_bibtex([citation])
        if not set(value) & set('{}\\@%,="#'):
            continue  # nothing BibTeX reads specially: skip the (slow) parse
        library = bibtexparser.loads(bib)
        assert len(library.entries) == 1, (value, bib)
        fields = set(library.entries[0]) - {"ENTRYTYPE", "ID"}
        assert fields <= {
            "author", "title", "journal", "year", "volume", "number", "pages", "doi",
            "url", "pmid", "note",
        }, (value, fields)  # fmt: skip
    tally.sent("function: RIS, BibTeX and CSL-JSON exports", *EVERYTHING)


def test_the_corpus_is_what_the_report_says():
    assert len(BLNS) > 100 and len(HOSTILE) > 100
    assert len(EVERYTHING) == len(set(EVERYTHING))
