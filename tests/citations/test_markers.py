"""`[@key]` markers: parsing, the claims they mark, and numbering by first use."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.rendering import Problem, RenderError, render_markdown
from citations.markdown_ext import Numbering, scan_markers
from citations.models import Citation, ClaimCitation, StudyDesign, Verification
from tests.articles.factories import article_with
from tests.articles.helpers import has_class, parse_html, text_of
from tests.citations.factories import CitationFactory

CITATIONS = {
    key: Citation(key=key, study_design=StudyDesign.RCT, verification=Verification.VERIFIED)
    for key in ("a", "b", "c")
}


def rendered(text, numbering=None):
    return render_markdown(text, prefix="overview", citations=CITATIONS, numbering=numbering)


def markers(html):
    """[(number text, href, id)] of every citation link, in order (the number without the
    space before its label)."""
    return [
        (a.text.removesuffix(" "), a.get("href"), a.get("id"))
        for a in parse_html(html).iter("a")
        if has_class(a, "cite-link")
    ]


def claims(result):
    return [(c.sentence, c.key, c.number) for c in result.claims]


def test_several_keys_in_one_marker():
    """`[@a; @b]` is one superscript with two numbered links, both on the same claim."""
    result = rendered("Two trials agree [@a; @b].")
    [sup] = [s for s in parse_html(result.html).iter("sup") if has_class(s, "cite")]
    assert [a.get("href") for a in sup.iter("a")] == ["#ref-1", "#ref-2"]
    assert claims(result) == [("Two trials agree.", "a", 1), ("Two trials agree.", "b", 2)]


@pytest.mark.parametrize(
    "text",
    [
        "First claim [@a]. Second claim [@b]. A third sentence with 3 things.",
        "First claim. [@a] Second claim. [@b] A third sentence with 3 things.",
        "First claim.[@a] Second claim.[@b] A third sentence with 3 things.",
    ],
    ids=["before the full stop", "after the full stop", "right after the full stop"],
)
def test_marker_before_or_after_the_full_stop_marks_its_own_sentence(text):
    """The marker belongs to the sentence it follows, wherever the full stop is; the next
    sentence stays separate (so an uncited number in it is still caught)."""
    result = rendered(text)
    assert claims(result) == [("First claim.", "a", 1), ("Second claim.", "b", 2)]
    assert result.uncited_numbers == ["A third sentence with 3 things."]


def test_closing_quote_stays_with_its_sentence():
    """A quoted sentence keeps its closing quote in the recorded claim."""
    result = rendered('He said "it helped." [@a] Then he stopped.')
    assert claims(result) == [('He said "it helped."', "a", 1)]


def test_code_spans_fences_and_escaped_brackets_are_left_alone():
    """Inside code and after a backslash, `[@key]` is text, even for unknown keys."""
    text = (
        "Write `[@nosuch]` to cite, or \\[@nosuch] to show the brackets [@a].\n\n"
        "```\n[@alsonot]\n```"
    )
    result = rendered(text)
    tree = parse_html(result.html)
    assert [text_of(code) for code in tree.iter("code")] == ["[@nosuch]", "[@alsonot]"]
    assert "[@nosuch] to show the brackets" in text_of(tree.find(".//p"))
    assert markers(result.html) == [("1", "#ref-1", "cite-1-1")]


def test_a_double_backslash_is_a_backslash_then_a_marker():
    """`\\\\[@a]` is an escaped backslash followed by a real marker; `\\[@b]` is text."""
    assert scan_markers("\\\\[@a] and \\[@b]") == [("a", 1)]


def test_unknown_key_is_a_render_error_naming_key_and_line():
    """An unknown key is refused before saving, naming the key and its line."""
    with pytest.raises(RenderError) as caught:
        rendered("A fine claim [@a].\n\nAnother one.\n\nA bad one [@b; @nosuch].")
    assert caught.value.problems == [Problem(5, "unknown citation key “nosuch”.", marker="nosuch")]


@pytest.mark.parametrize(
    "text, line",
    [
        ("Intro [@a].\n\n[@b]", 3),
        ("Claim [@a].\n\n| Thing | Source |\n|---|---|\n| x | [@a] |", 5),
        ("### Is it safe [@a]?\n\nNo one knows.", 1),
        ('!!! note "Sources [@a]"\n    Body text.', 1),
    ],
    ids=["alone in a paragraph", "alone in a cell", "in a heading", "in a note title"],
)
def test_marker_that_follows_no_claim_is_a_render_error(text, line):
    """A marker with no sentence before it is refused with its line (it used to crash
    publishing with a KeyError, since no claim, and so no backlink, was recorded)."""
    with pytest.raises(RenderError) as caught:
        rendered(text)
    [problem] = caught.value.problems
    assert problem.line == line
    assert f"[@{problem.marker}]" in text.splitlines()[line - 1]
    assert problem.message.startswith(f"The citation “{problem.marker}”")
    assert "does not follow a claim" in problem.message


def test_numbering_follows_first_use_and_counts_uses():
    """A key cited again keeps its number; each use has its own anchor cite-N-M."""
    numbering = Numbering()
    first = rendered("One [@b]. Two [@a; @b].", numbering)
    second = rendered("Three [@a]. Four [@c].", numbering)
    assert markers(first.html) == [
        ("1", "#ref-1", "cite-1-1"),
        ("2", "#ref-2", "cite-2-1"),
        ("1", "#ref-1", "cite-1-2"),
    ]
    assert markers(second.html) == [("2", "#ref-2", "cite-2-2"), ("3", "#ref-3", "cite-3-1")]


# Numbering across a stored article ----------------------------------------------------


@pytest.fixture
def article(db):
    for key in ("early", "middle", "late", "newcomer"):
        CitationFactory(key=key)
    return article_with(
        {
            "overview": "It began with one trial [@early].",
            "mechanism": "A second claim [@middle]. Then the first again [@early].",
            "risks": "A later claim [@late]. A sentence without citations.",
        }
    )


def numbers(article):
    return dict(
        ClaimCitation.objects.filter(section__article=article).values_list(
            "anchor", "citation__key"
        )
    )


def page_markers(article):
    html = "".join(s.body_html for s in article.sections.order_by("order"))
    return markers(html), article.references_html


def test_editing_a_later_sentence_without_citations_does_not_renumber(article):
    """Numbers and anchors only change when citations change before them."""
    before = page_markers(article), numbers(article)
    risks = article.sections.get(key="risks")
    risks.body_markdown = risks.body_markdown.replace("without citations", "without any source")
    risks.save()
    article.refresh_from_db()
    assert (page_markers(article), numbers(article)) == before
    assert "without any source" in article.sections.get(key="risks").body_html


def test_a_new_first_citation_renumbers_as_expected(article):
    """A new source cited first becomes 1, and the others move up by one."""
    overview = article.sections.get(key="overview")
    overview.body_markdown = "A new opening claim [@newcomer]. " + overview.body_markdown
    overview.save()
    assert numbers(article) == {
        "cite-1-1": "newcomer",
        "cite-2-1": "early",
        "cite-3-1": "middle",
        "cite-2-2": "early",
        "cite-4-1": "late",
    }
    article.refresh_from_db()
    references = parse_html(article.references_html)
    about = [
        a.get("href") for a in references.iter("a") if a.get("href", "").startswith("/citations/")
    ]
    assert about == [f"/citations/{k}/" for k in ("newcomer", "early", "middle", "late")]


# Invariant over generated text ----------------------------------------------------------

PIECES = st.sampled_from(
    ["Claim", "with 5 things", "claim", ".", ". ", "! ", "? ", " ", "\n", "\n\n", '"', "”",
     "[@a]", "[@b]", "[@a; @c]", " [@c]", "\\[@a]", "`[@b]`", "- ", "### ", "| x |",
     "|---|", "| y [@a] |", '!!! note "N"\n    ', "*em [@b]*", "**", "A", "Then"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join))
def test_property_every_marker_is_a_claim_with_a_reference(text):
    """Whatever the layout, a rendered text either is refused with a RenderError or has
    exactly one claim per marker link, with matching number and anchor, and anchors
    unique: publishing can always build the references and their backlinks."""
    numbering = Numbering()
    try:
        result = rendered(text, numbering)
    except RenderError:
        return
    links = markers(result.html)
    assert [(str(c.number), f"#ref-{c.number}", c.anchor) for c in result.claims] == links
    assert len({anchor for _, _, anchor in links}) == len(links)
    assert {c.key for c in result.claims} == set(numbering.numbers)
    assert all(c.sentence for c in result.claims)
