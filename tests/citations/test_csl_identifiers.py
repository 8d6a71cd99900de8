"""Content files may write identifiers as links and types as words: import stores the
identifier and the type, and what cannot be read is refused naming the record."""

import json

import pytest
from django.core.management.base import CommandError

from citations.models import Citation
from tests.articles.helpers import copy_content, run

pytestmark = pytest.mark.django_db


def rewrite_first(tmp_path, **changes):
    content = copy_content(tmp_path)
    path = content / "citations.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    records[0].update(changes)
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return content, records[0]


def test_identifier_links_and_a_written_type_are_stored_as_identifiers(tmp_path):
    content, record = rewrite_first(
        tmp_path,
        DOI="https://doi.org/10.7554/eLife.62878",
        PMID="https://pubmed.ncbi.nlm.nih.gov/33648632/",
        PMCID="https://www.ncbi.nlm.nih.gov/pmc/articles/PMC7925122/",
        type="journal article",
    )
    run("import_content", dir=str(content))
    citation = Citation.objects.get(key=record["id"])
    assert citation.doi == "10.7554/eLife.62878"
    assert citation.pmid == "33648632"
    assert citation.pmcid == "PMC7925122"
    assert citation.csl_type == "article-journal"
    assert citation.doi_url == "https://doi.org/10.7554/eLife.62878"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"type": "pamphlet of sorts"}, "has an unknown type “pamphlet of sorts”"),
        ({"DOI": "https://example.com/paper"}, "is not doi.org"),
        ({"PMID": "PMC123"}, "This is not a PubMed ID"),
    ],
)
def test_unreadable_types_and_identifiers_are_refused(tmp_path, changes, message):
    content, record = rewrite_first(tmp_path, **changes)
    with pytest.raises(CommandError, match=f"record “{record['id']}”.*{message}"):
        run("import_content", dir=str(content))
    with pytest.raises(CommandError, match=message):
        run("check_content", dir=str(content))
