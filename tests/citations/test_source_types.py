"""Each kind of source exports as the matching CSL type, RIS type and BibTeX entry type,
so a reference manager files a journal article as a journal article."""

import json

import bibtexparser
import pytest
import rispy

from citations.source_types import SourceType, source_type
from tests.articles.factories import article_with
from tests.citations.factories import CitationFactory

EXPECTED = {
    # CSL type: (RIS TY, BibTeX entry type, BibTeX field for the container)
    "article-journal": ("JOUR", "article", "journal"),
    "book": ("BOOK", "book", "publisher"),
    "chapter": ("CHAP", "incollection", "booktitle"),
    "report": ("RPRT", "techreport", "institution"),
    "webpage": ("ELEC", "misc", "howpublished"),
    "thesis": ("THES", "phdthesis", "school"),
    "dataset": ("DATA", "misc", "howpublished"),
    "article": ("UNPB", "unpublished", "howpublished"),
    "paper-conference": ("CPAPER", "inproceedings", "booktitle"),
    "article-newspaper": ("NEWS", "article", "journal"),
    "article-magazine": ("MGZN", "article", "journal"),
    "legislation": ("STAT", "misc", "howpublished"),
    "post": ("BLOG", "misc", "howpublished"),
    "post-weblog": ("BLOG", "misc", "howpublished"),
    "document": ("GEN", "misc", "howpublished"),
}


def test_every_choice_has_its_export_types():
    assert set(EXPECTED) == set(SourceType.values)


@pytest.mark.django_db
def test_each_type_exports_as_its_ris_bibtex_and_csl_type(client):
    keys = {}
    for n, csl_type in enumerate(EXPECTED):
        key = f"type{n}"
        CitationFactory(key=key, csl_type=csl_type, container_title=f"Container {n}")
        keys[key] = csl_type
    body = " ".join(f"Claim {n} [@{key}]." for n, key in enumerate(keys))
    article_with({"overview": body}, slug="every-type")

    ris = rispy.loads(client.get("/citations/export/every-type.ris").content.decode())
    assert {e["id"]: e["type_of_reference"] for e in ris} == {
        key: EXPECTED[t][0] for key, t in keys.items()
    }

    bib = bibtexparser.loads(client.get("/citations/export/every-type.bib").content.decode())
    for entry in bib.entries:
        ris_type, entry_type, container = EXPECTED[keys[entry["ID"]]]
        assert entry["ENTRYTYPE"] == entry_type, entry["ID"]
        assert entry[container].startswith("Container"), entry["ID"]

    items = json.loads(client.get("/citations/export/every-type.json").content)
    assert {item["id"]: item["type"] for item in items} == keys


@pytest.mark.parametrize(
    "written, csl_type",
    [
        ("journal article", "article-journal"),
        ("Journal Article", "article-journal"),
        ("journal-article", "article-journal"),
        ("article-journal", "article-journal"),
        ("Book chapter", "chapter"),
        ("book-chapter", "chapter"),
        ("web page", "webpage"),
        ("Website", "webpage"),
        ("posted-content", "article"),
        ("Preprint", "article"),
        ("dissertation", "thesis"),
        ("  Report ", "report"),
        ("proceedings-article", "paper-conference"),
    ],
)
def test_types_written_by_hand_or_by_crossref_are_understood(written, csl_type):
    assert source_type(written) == csl_type


@pytest.mark.parametrize("written", ["", "gibberish", "<script>", "journal article!"])
def test_unknown_types_are_not_guessed(written):
    assert source_type(written) is None
