"""Records saved before types were choices and identifiers were read: the migration turns
a stored link into its identifier and a written type into its choice."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("citations", "0005_pmcid_and_type_choices")]
AFTER = [("citations", "0007_citation_type_known")]


@pytest.mark.django_db(transaction=True)
def test_links_and_written_types_become_identifiers_and_choices():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("citations", "Citation")
    rows = {
        "linked": {
            "doi": "https://doi.org/10.3390/nu9050429",
            "pmid": "PMID: 28445426",  # a PubMed link is longer than the column
            "csl_type": "journal article",
        },
        "plain": {"doi": "10.1/x", "pmid": "123", "csl_type": "webpage"},
        "odd": {"doi": "see the journal's site", "csl_type": "pamphlet"},
    }
    for key, values in rows.items():
        old.objects.create(key=key, study_design="rct", verification="verified", **values)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("citations", "Citation")
    stored = {c.key: (c.doi, c.pmid, c.csl_type) for c in new.objects.all()}
    assert stored == {
        "linked": ("10.3390/nu9050429", "28445426", "article-journal"),
        "plain": ("10.1/x", "123", "webpage"),
        # Not an identifier: kept for an editor to see (the form refuses it on save).
        "odd": ("see the journal's site", "", "document"),
    }
