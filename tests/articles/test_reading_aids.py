"""Reading aids on a long page: a way back to the contents after each section, counts
that read right ("1 source"), dates as people write them, one crisis landmark, labelled
sample sizes, a way back from a source page, and an updates page people can read."""

import pytest
from django.urls import reverse

from articles.models import Article, Section
from citations.models import Citation, StudyDesign, Verification

from .helpers import ARTICLE_URL, has_class, parse_html, text_of

pytestmark = pytest.mark.django_db


def test_back_to_contents_after_each_section(article_page, imported):
    """Every section ends with a "Back to contents" link to the contents list."""
    sections = [
        s
        for s in article_page.iter("section")
        if has_class(s, "article-section")
        and (s.get("id") or "") in set(imported.sections.values_list("key", flat=True))
    ]
    assert sections
    for section in sections:
        links = [a for a in section.iter("a") if a.get("href") == "#contents"]
        assert [text_of(a) for a in links] == ["Back to contents"], section.get("id")


def test_one_crisis_landmark(article_page):
    """The crisis box appears in full in the risks section and at the end, but only the
    one at the end is a landmark, so a screen reader's landmark list names it once."""
    landmarks = [a for a in article_page.iter("aside") if has_class(a, "crisis")]
    assert [a.get("id") for a in landmarks] == ["crisis"]
    inline = [d for d in article_page.iter("div") if has_class(d, "crisis")]
    assert [d.get("id") for d in inline] == ["crisis-risks"]
    assert inline[0].get("aria-labelledby") is None
    assert any(a.get("href", "").startswith("tel:") for a in inline[0].iter("a"))


def test_counts_use_the_right_plural(client):
    """ "resting on 1 source", not "1 sources"."""
    citation = Citation.objects.create(
        key="only",
        title="The only study",
        study_design=StudyDesign.RCT,
        verification=Verification.VERIFIED,
        sample_size="1,102",
    )
    article = Article.objects.create(
        title="One claim", slug="one-claim", summary="s", status="published",
        published="2026-01-01",
    )  # fmt: skip
    Section.objects.create(
        article=article, key="overview", title="Overview", order=0,
        body_markdown="A single claim [@only].",
    )  # fmt: skip
    article.refresh_from_db()
    html = client.get(article.get_absolute_url()).content.decode()
    text = " ".join(html.split())
    assert "makes 1 cited claim, resting on 1 source" in text
    assert "1 sources" not in text and "1 cited claims" not in text
    assert "Randomised controlled trial, 1,102 participants." in text or (
        "1,102 participants" in text
    )
    assert citation.sample_size_text == "1,102 participants"


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("1,102", "1,102 participants"),
        ("1", "1 participant"),
        ("23 (figure from a summary page)", "23 participants (figure from a summary page)"),
        ("about 30 (N=31 in the abstract)", "about 30 participants (N=31 in the abstract)"),
        ("191 completers", "191 completers"),
        ("4 RCTs, 180 participants", "4 RCTs, 180 participants"),
        ("not applicable (review)", "not applicable (review)"),
        ("", ""),
    ],
)
def test_sample_sizes_say_what_they_count(given, shown):
    """A bare count is labelled; a size that says what it counts is left alone."""
    assert Citation(sample_size=given).sample_size_text == shown


def test_what_changed_uses_human_dates(client, imported):
    """The change log shows "30 November 2026", with the ISO date only in datetime."""
    Article.objects.filter(pk=imported.pk).update(
        public_changes=[{"date": "2026-11-30", "note": "Added the 2026 trial."}]
    )
    from core.cache import bump_content_version

    bump_content_version()
    html = client.get(ARTICLE_URL).content.decode()
    assert '<time datetime="2026-11-30">30 November 2026</time>: Added the 2026 trial.' in html
    assert ">2026-11-30<" not in html


def test_source_page_links_back_to_the_article_at_the_top(client, imported):
    """A source page starts with a link back to the article that cites it."""
    citation = Citation.objects.filter(claims__isnull=False).first()
    tree = parse_html(client.get(citation.get_absolute_url()).content)
    main = tree.find(".//main")
    first_link = next(main.iter("a"))
    assert first_link.get("href") == ARTICLE_URL + "#references"
    assert text_of(first_link).startswith("← Back to the article")


def test_updates_page_is_readable_and_linked_from_the_footer(client, imported):
    """/updates/ is an HTML page listing the articles with human dates; the footer links
    it (the Atom feed stays, for feed readers)."""
    response = client.get(reverse("articles:updates"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    tree = parse_html(response.content)
    assert text_of(tree.find(".//h1")) == "Updates"
    assert imported.title in text_of(tree.find(".//main"))
    footer = tree.find(".//footer")
    hrefs = [a.get("href") for a in footer.iter("a")]
    assert "/updates/" in hrefs and "/feed/" in hrefs
    assert not response.cookies
    assert client.get("/feed/")["Content-Type"].startswith("application/atom+xml")
