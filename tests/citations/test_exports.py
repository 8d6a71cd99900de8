"""The references download as RIS, BibTeX and CSL-JSON that reference managers can read."""

import json

import bibtexparser
import pytest
import rispy

from tests.articles.factories import article_with
from tests.articles.helpers import SLUG, has_class
from tests.citations.factories import CitationFactory


def export(client, fmt, slug=SLUG):
    response = client.get(f"/citations/export/{slug}.{fmt}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (f'attachment; filename="{slug}-references.{fmt}"')
    return response


def keys_on_page(tree):
    """Citation keys of the references on the article page, in reference order."""
    keys = []
    for li in tree.iter("li"):
        if has_class(li, "reference"):
            [about] = [a for a in li.iter("a") if a.get("href", "").startswith("/citations/")]
            keys.append(about.get("href").split("/")[2])
    return keys


def test_ris_parses_back_with_one_entry_per_reference(client, article_page):
    """rispy reads one entry per reference on the page, in page order, with its level."""
    response = export(client, "ris")
    assert response["Content-Type"].startswith("application/x-research-info-systems")
    entries = rispy.loads(response.content.decode())
    assert [e["id"] for e in entries] == keys_on_page(article_page)
    assert all(e["title"] and e["type_of_reference"] for e in entries)
    szigeti = next(e for e in entries if e["id"] == "szigeti2021")
    assert any("Randomised trial (level 2)" in note for note in szigeti["notes"])


def test_bibtex_parses_back_with_one_entry_per_reference(client, article_page):
    """bibtexparser (v1) reads one entry per reference on the page, in page order."""
    response = export(client, "bib")
    assert response["Content-Type"].startswith("application/x-bibtex")
    library = bibtexparser.loads(response.content.decode())
    assert [e["ID"] for e in library.entries] == keys_on_page(article_page)
    assert all(e.get("title") for e in library.entries)


def test_csl_json_parses_back_with_design_and_verification(client, article_page):
    """Each CSL-JSON item has id, type and the site's study design and verification."""
    response = export(client, "json")
    items = json.loads(response.content)
    assert [item["id"] for item in items] == keys_on_page(article_page)
    for item in items:
        assert item["type"]
        assert item["custom"]["study_design"]
        assert item["custom"]["verification"] in ("verified", "partial", "not-located")


@pytest.mark.django_db
def test_awkward_characters_survive_every_format(client):
    """Braces, percent signs, ampersands and line breaks do not break the files."""
    title = "Effects of {5-HT2A} agonists: 50% & more_than\nexpected ~ \\ # $ ^"
    CitationFactory(
        key="awkward",
        title=title,
        authors=[{"family": "O'Brien-Müller", "given": "Zoë"}, {"literal": "The {Group}"}],
        container_title="J. Odd & Ends",
    )
    article_with({"overview": "A claim [@awkward]."}, slug="awkward-article")

    [ris] = rispy.loads(export(client, "ris", "awkward-article").content.decode())
    assert ris["title"] == " ".join(title.split())
    assert ris["authors"] == ["O'Brien-Müller, Zoë", "The {Group}"]

    library = bibtexparser.loads(export(client, "bib", "awkward-article").content.decode())
    [entry] = library.entries
    assert entry["ID"] == "awkward"
    assert "50\\%" in entry["title"] and "\\{5-HT2A\\}" in entry["title"]
    assert "\n" not in entry["title"]

    [item] = json.loads(export(client, "json", "awkward-article").content)
    assert item["title"] == title


@pytest.mark.django_db
def test_draft_article_has_no_export(client):
    """A draft's references cannot be downloaded."""
    CitationFactory(key="unpublished-source")
    article_with(
        {"overview": "A claim [@unpublished-source]."}, slug="draft", published=None, status="draft"
    )
    assert client.get("/citations/export/draft.ris").status_code == 404
