"""Markers, references and citation pages link to each other, say how strong each source
is in words (also to screen readers), and never dress up a study nobody could find."""

import pytest

from citations.models import Citation, ClaimCitation
from tests.articles.factories import article_with
from tests.articles.helpers import ARTICLE_URL, has_class, parse_html, text_of
from tests.citations.factories import CitationFactory


def cite_links(tree):
    return [a for a in tree.iter("a") if has_class(a, "cite-link")]


def references(tree):
    return {li.get("id"): li for li in tree.iter("li") if has_class(li, "reference")}


def marker_for(tree, key):
    """The first marker of a citation on the page, found through its ClaimCitation row."""
    claim = ClaimCitation.objects.filter(citation__key=key).order_by("number", "pk").first()
    [link] = [a for a in cite_links(tree) if a.get("id") == claim.anchor]
    return claim.number, link


def test_every_marker_links_to_its_reference_and_back(article_page):
    """Each a.cite-link[href=#ref-N] has an li#ref-N; each backlink goes to an existing
    marker; and every marker is offered as a way back from its reference."""
    links = cite_links(article_page)
    refs = references(article_page)
    ids = {e.get("id") for e in article_page.iter() if e.get("id")}
    assert len(links) == ClaimCitation.objects.count()
    assert len(refs) == Citation.objects.count()  # every record is cited

    backlinks = {}
    for ref_id, li in refs.items():
        [para] = [e for e in li.iter() if has_class(e, "backlinks")]
        backlinks[ref_id] = [a.get("href") for a in para.iter("a")]
        assert backlinks[ref_id], f"{ref_id} has no way back"
        # Several back-links wait in a closed <details>: one Tab stop, not one per use.
        if len(backlinks[ref_id]) > 1:
            assert para.tag == "details" and para.get("open") is None, ref_id
            summary = para.find("summary")
            assert summary.text == f"Cited in {len(backlinks[ref_id])} places", ref_id
        for href in backlinks[ref_id]:
            assert href[1:] in ids, f"{ref_id} links back to missing {href}"

    for link in links:
        href = link.get("href")
        assert href.startswith("#ref-") and href[1:] in refs
        assert f"#{link.get('id')}" in backlinks[href[1:]]
        assert link.text == href.removeprefix("#ref-") + " "
    assert sorted(int(r.removeprefix("ref-")) for r in refs) == list(range(1, len(refs) + 1))


def test_marker_to_a_verified_trial_reads_its_level_aloud(article_page):
    """The accessible name starts with what the marker shows ("4 trial", WCAG 2.5.3
    Label in Name), then says the level in words."""
    number, link = marker_for(article_page, "szigeti2021")
    [label] = link.iter("span")
    assert has_class(label, "cite-level") and label.text == "trial"
    shown = link.text + label.text
    assert shown == f"{number} trial"
    assert link.get("aria-label") == f"{shown}, reference: randomised trial (level 2), verified"


def test_partly_verified_source_reads_as_verified_to_readers(article_page):
    """Partial records are real publications: readers see "verified"."""
    assert Citation.objects.get(key="lea2020").verification == "partial"
    number, link = marker_for(article_page, "lea2020")
    assert link.get("aria-label") == (
        f"{number} no comparison, reference: study without a comparison group (level 4), verified"
    )


def test_marker_to_a_study_nobody_found_says_so(article_page):
    """The marker to a not-located study says so aloud and in its visible label."""
    number, link = marker_for(article_page, "src-jps-2023-survey")
    assert link.get("aria-label") == f"{number} not found, reference: source not located"
    assert has_class(link, "level-not-located")
    assert [span.text for span in link.iter("span")] == ["not found"]


def test_reference_to_a_study_nobody_found_quotes_the_original(article_page):
    """The reference quotes how the original described it, and gives no identifiers."""
    citation = Citation.objects.get(key="src-jps-2023-survey")
    number, _ = marker_for(article_page, citation.key)
    reference = references(article_page)[f"ref-{number}"]
    text = text_of(reference)
    assert (
        "We could not find this study; the original article cites it as: "
        f"“{citation.described_as}”" in text
    )
    assert "Source not located" in text
    assert "doi" not in text.lower()


@pytest.mark.django_db
def test_citation_page_of_a_study_nobody_found_shows_no_identifiers(client):
    """Even if an editor left identifiers on a not-located record, readers never see
    authors, journal or DOI presented as if the study existed."""
    citation = CitationFactory(
        key="ghost-study",
        not_located=True,
        title="A Phantom Trial of Everything",
        authors=[{"family": "Phantom", "given": "Paula"}],
        container_title="Journal of Vanishing Results",
        doi="10.9999/ghost",
        pmid="99999999",
        url="https://ghost.example/study",
    )
    response = client.get(citation.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    main = text_of(parse_html(html).find(".//main"))
    assert (
        f"We could not find this study; the original article cites it as: “{citation.described_as}”"
        in main
    )
    for leaked in ("Phantom", "Vanishing", "10.9999", "99999999", "ghost.example"):
        assert leaked not in html
    assert "A study we could not find" in html


@pytest.mark.django_db
def test_reference_to_a_study_nobody_found_shows_no_identifiers(client):
    """The reference list never shows a not-located record's title or PubMed id."""
    CitationFactory(key="ghost-study", not_located=True, title="A Phantom Trial", pmid="99999999")
    article = article_with({"overview": "A claim resting on a ghost [@ghost-study]."})
    reference = text_of(parse_html(article.references_html))
    assert "We could not find this study; the original article cites it as:" in reference
    assert "Phantom" not in reference and "99999999" not in reference


def test_citation_page_of_real_not_located_record(client, imported):
    """The citation page of a real not-located record says we could not find it."""
    response = client.get("/citations/src-frontiers-2021-case/")
    main = text_of(parse_html(response.content).find(".//main"))
    assert "We could not find this study; the original article cites it as:" in main
    assert "Source not located" in main


def test_a_forum_post_nobody_found_is_called_a_post(client, imported, article_page):
    """An unnamed forum user's account reads as a post we could not find, not a study,
    labelled as one person's experience."""
    citation = Citation.objects.get(key="forum-user-28")
    number, _ = marker_for(article_page, citation.key)
    reference = text_of(references(article_page)[f"ref-{number}"])
    assert "We could not find this post; the original article quotes it as:" in reference
    assert "One person's experience" in reference
    main = text_of(parse_html(client.get(citation.get_absolute_url()).content).find(".//main"))
    assert "A post we could not find" in main


def test_citation_pages_list_every_claim_with_working_links(client, imported, article_page):
    """For every record: one item per claim citing it, with the claim's sentence and a link
    to /articles/<slug>/#cite-N-M that exists on the article page."""
    ids = {e.get("id") for e in article_page.iter() if e.get("id")}
    for citation in Citation.objects.all():
        rows = list(ClaimCitation.objects.filter(citation=citation).order_by("section__order"))
        assert rows, f"{citation.key} is never cited"
        tree = parse_html(client.get(f"/citations/{citation.key}/").content)
        [claims] = [ul for ul in tree.iter("ul") if has_class(ul, "claims")]
        items = claims.findall("li")
        assert len(items) == len(rows)
        sentences = [text_of(item.find("blockquote")) for item in items]
        assert sorted(sentences) == sorted(row.sentence for row in rows)
        for item in items:
            [link] = [a for a in item.iter("a") if a.get("href", "").startswith("/articles/")]
            path, _, anchor = link.get("href").partition("#")
            assert path == ARTICLE_URL
            assert anchor.startswith("cite-") and anchor in ids, link.get("href")
