"""What readers see: "How sure are we?" near the top of the article, served in the HTML
(no JavaScript); support checks in the references and on each source's page; a legend
that tells level, support and certainty apart."""

import pytest
from django.utils import timezone

from certainty.models import Outcome
from citations.models import Citation, ClaimCitation, ClaimSupport
from citations.support import support_changed
from tests.articles.factories import article_with
from tests.articles.helpers import ARTICLE_URL, by_id, has_class, parse_html, text_of
from tests.citations.factories import CitationFactory

from .factories import OutcomeFactory

pytestmark = pytest.mark.django_db
WORDS = {"High", "Moderate", "Low", "Very low", "No studies"}


def rows(tree):
    table = by_id(tree)["how-sure"].find(".//table")
    return table.findall("./tbody/tr")


def test_the_flagship_article_says_how_sure_we_are(article_page):
    """At least four outcomes, each with its certainty in words and a four-step scale by
    shape, at least two different levels, before the first section."""
    ids = by_id(article_page)
    section = ids["how-sure"]
    assert text_of(section.find("h2")) == "How sure are we?"
    order = [e.get("id") for e in article_page.iter() if e.get("id") in ("how-sure", "overview")]
    assert order == ["how-sure", "overview"]
    found = rows(article_page)
    assert len(found) >= 4
    words = set()
    for row in found:
        cells = row.findall("./td")
        word = next(e for e in row.iter("span") if has_class(e, "certainty-word"))
        words.add(text_of(word))
        scale = next(e for e in row.iter("span") if has_class(e, "certainty-scale"))
        assert scale.get("role") == "img"
        assert scale.get("aria-label").endswith(" of 4 steps")
        assert len(text_of(scale)) == 4 and set(text_of(scale)) <= {"⊕", "◯"}
        assert row.find("./th[@scope='row']") is not None
        details = row.find(".//details")  # works without JavaScript
        assert details.find("summary") is not None and details.find("ul") is not None
        assert text_of(cells[-1])  # studies and people
    assert words <= WORDS
    assert len(words) >= 2


def test_the_statement_is_generated_not_typed(client, imported, django_capture_on_commit_callbacks):
    outcome = Outcome.objects.get(article=imported, key="mood")
    outcome.statement = "Microdosing cures everything."  # what a forged save would try
    with django_capture_on_commit_callbacks(execute=True):
        outcome.save()
    page = client.get(ARTICLE_URL).content.decode()
    assert "cures everything" not in page
    assert "Microdosing psilocybin may result in little to no difference in mood" in page


def test_readers_see_when_the_certainty_was_last_reviewed(
    client, imported, make_user, django_capture_on_commit_callbacks
):
    reviewer = make_user("rev")
    page = parse_html(client.get(ARTICLE_URL).content)
    note = next(e for e in page.iter("p") if has_class(e, "certainty-reviewed"))
    assert text_of(note).startswith("A medical reviewer has not yet checked all of these")
    with django_capture_on_commit_callbacks(execute=True):  # signing retires cached pages
        for outcome in imported.outcomes.all():
            outcome.sign(reviewer, "Dr Rev")
    page = parse_html(client.get(ARTICLE_URL).content)
    note = next(e for e in page.iter("p") if has_class(e, "certainty-reviewed"))
    today = timezone.localdate()
    assert text_of(note).startswith(
        f"A medical reviewer last checked these ratings on {today:%-d %B %Y}."
    )
    assert note.find("time").get("datetime") == today.isoformat()
    assert not any(has_class(e, "certainty-unsigned") for e in page.iter("p"))


def test_hostile_outcome_text_is_escaped(client):
    CitationFactory(key="only")
    article = article_with({"overview": "A claim [@only; #x]."})
    OutcomeFactory(article=article, key="x", question="<script>alert(1)</script>?")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;?" in page


def test_support_shows_in_the_references_and_on_the_source_page(
    client, django_capture_on_commit_callbacks
):
    CitationFactory(key="trial")
    article = article_with({"overview": "Trials found no benefit for mood [@trial; #mood]."})
    claim = ClaimCitation.objects.get(section__article=article)
    assert claim.outcome_key == "mood"
    citation = Citation.objects.get(key="trial")

    page = client.get(article.get_absolute_url()).content.decode()
    assert "Not yet checked against this source." in page

    ClaimSupport.objects.create(
        article=article,
        citation=citation,
        sentence=claim.sentence,
        support="supports",
        pinpoint="Abstract: no difference from placebo",
        checked_by="editor",
        checked_on=timezone.localdate(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        support_changed.send(sender=ClaimSupport, article_id=article.pk)
    reference = by_id(parse_html(client.get(article.get_absolute_url()).content))["ref-1"]
    item = reference.find(".//ul[@class='claim-support']/li")
    assert text_of(item) == (
        "Trials found no benefit for mood. Supports the claim: Abstract: no difference from placebo"
    )
    source = client.get(citation.get_absolute_url()).content.decode()
    assert "Supports the claim</span>: Abstract: no difference from placebo" in source

    # A changed sentence is a new claim: unchecked again, everywhere.
    section = article.sections.get()
    section.body_markdown = "Trials found no benefit for mood or anxiety [@trial; #mood]."
    with django_capture_on_commit_callbacks(execute=True):
        section.save()
    assert (
        "Not yet checked against this source."
        in client.get(article.get_absolute_url()).content.decode()
    )
    assert (
        "Not yet checked against this source."
        in client.get(citation.get_absolute_url()).content.decode()
    )


def test_the_legend_tells_level_support_and_certainty_apart(article_page):
    legend = by_id(article_page)["evidence-levels"]
    text = text_of(legend)
    for words in (
        "What kind of study is it?",
        "Does the source say what the sentence says?",
        "How sure can we be about the answer?",
        "one randomised trial is still only",
    ):
        assert words in text
    scales = [text_of(e) for e in legend.iter("span") if has_class(e, "certainty-scale")]
    assert scales == ["◯◯◯◯", "⊕◯◯◯", "⊕⊕◯◯", "⊕⊕⊕◯", "⊕⊕⊕⊕"]
