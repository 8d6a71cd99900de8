"""Property-based tests (hypothesis): whatever goes into the Markdown pipeline or the
comment renderer, what comes out is safe and well-formed.

Inputs are built from arbitrary text mixed with pieces of markup, Markdown syntax,
citation markers, entities, URLs and control characters, so the generator reaches the
corners (an unclosed tag across a paragraph, a marker inside a link, an entity-encoded
scheme) far more often than random text would.
"""

import html as htmllib
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from articles.rendering import Problem, RenderError, render_markdown
from articles.structured_data import json_ld
from comments.forms import PlainTextField
from comments.rendering import render_plain_text

from . import tally
from .corpus import XSS
from .safety import elements, well_formed
from .test_renderers import CITATIONS, check_markdown

pytestmark = pytest.mark.slow

PIECES = [
    "<", ">", "&", '"', "'", "`", "=", "/", "\\", "\n", "\n\n", "    ", "\t", "\x00", "\x0b",
    "\ufdd0", "\u202e", "<script>", "</script>", "<img src=x onerror=alert(1)>", "<a href=",
    "javascript:", "jav&#x09;ascript:", "&#106;", "data:text/html,", "vbscript:", "<!--",
    "-->", "<![CDATA[", "]]>", "<svg>", "<math>", "<style>", "<p ", "</p>", "<div>",
    "<span onclick=x>", "{: onclick=x }", "{: #main }", "{: .cite-link }", "[x](", ")",
    "![x](", "[@trial2020]", "[@a; @trial2020]", "[@unknown]", "### ", "## ", "> ", "- ",
    "1. ", "| a | b |\n|---|---|\n| c | d |", "```", "`", "**", "_", "!!! note \"t\"\n    ",
    "http://example.org/a?b=1&c=2", "https://", "www.example.org", "mailto:a@b.c",
    "{{ settings.SECRET_KEY }}", "{% debug %}", "' OR 1=1 --", "\r\n",
]  # fmt: skip

texts = st.lists(
    st.one_of(st.text(max_size=20), st.sampled_from(PIECES), st.sampled_from(XSS)),
    max_size=16,
).map("".join)

FAST = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(texts, st.sampled_from(["overview", "faq", "risks"]))
@example("<!--><script>alert(1)</script>-->", "overview")
@example("[x](jav&#x09;ascript:alert(1)) [@trial2020].", "faq")
@example('[](https://example.org/"onmouseover="alert(1)`0`', "overview")
@example("### Q?\n\n<svg><a xlink:href=javascript:alert(1)>x</a></svg> [@trial2020].", "faq")
def test_markdown_pipeline(text, prefix):
    """Allowed tags and attributes only, http(s)/mailto/in-page links only, well-formed,
    and never a silent removal: if the sanitizer took something out, the editor is told."""
    tally.sent("function: Markdown pipeline", text)
    result = check_markdown(text, prefix)
    if result is not None and prefix == "faq":
        # The FAQ feeds JSON-LD: its text can never close the script element.
        block = str(json_ld([{"faq": result.faq}]))
        assert not set("<>&") & set(block)


@FAST
@given(texts)
def test_markdown_never_fails_other_than_with_a_message(text):
    """Any text either renders or raises RenderError (a message for the editor)."""
    try:
        render_markdown(text, prefix="overview", citations=CITATIONS)
    except RenderError as error:
        assert error.problems and all(isinstance(p, Problem) and p.message for p in error.problems)


@FAST
@given(texts)
@example("a\x00b\x0bc\ufdd0d")
@example('https://x.org/<script> https://x.org/"onmouseover=alert(1)')
def test_comment_renderer(text):
    """Only <p>, <br> and http(s) links with rel="nofollow ugc noopener" come out; no
    visible character is lost; text the form accepts renders to well-formed HTML."""
    tally.sent("function: comment renderer", text)
    html = str(render_plain_text(text))
    for element in elements(html):
        assert element.tag in {"p", "br", "a"}, (text, html)
        if element.tag == "a":
            assert element.get("rel") == "nofollow ugc noopener"
            assert re.match(r"https?://[^/?#]", element.get("href"), re.IGNORECASE)
            assert set(element.attrib) == {"href", "rel"}
    shown = htmllib.unescape(re.sub(r"<[^>]+>", "", html))
    assert "".join(shown.split()) == "".join(text.replace("\r", "\n").split())
    accepted = PlainTextField().to_python(text)
    if "\x00" not in accepted:  # the form refuses NUL with a message
        assert well_formed(render_plain_text(accepted)), (text, html)
