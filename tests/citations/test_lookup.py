"""Fetching a record: whatever Crossref or NCBI answer, the editor gets values to check or
one sentence saying what went wrong, never an exception."""

import json

import pytest

from citations.lookup import LookupFailed, fetch, from_crossref, from_esummary


def test_a_pmc_id_is_looked_up_in_pmc_by_its_number(recorded_sources):
    found, sources, problems = fetch(pmcid="PMC5452159")
    assert recorded_sources.requests[0] == "/eutils/esummary.fcgi?db=pmc&id=5452159&retmode=json"
    assert sources == ["Crossref", "PubMed Central"] and problems == []
    assert (found["pmid"], found["pmcid"], found["doi"]) == (
        "28445426",
        "PMC5452159",
        "10.3390/nu9050429",
    )


def test_pubmed_names_are_read_as_pubmed_writes_them(recorded_sources):
    found = from_esummary("28445426", "pubmed")
    assert found["authors"] == [
        {"family": "Boyle", "given": "N. B."},
        {"family": "Lawton", "given": "C."},
        {"family": "Dye", "given": "L."},
    ]
    assert found["title"].endswith("A Systematic Review")  # PubMed's full stop dropped
    assert found["year"] == 2017


@pytest.mark.parametrize(
    "answer, message",
    [
        ((500, b"Internal error", "text/plain"), "Crossref answered with an error (500)."),
        ((503, b"", "text/plain"), "Crossref answered with an error (503)."),
        (
            (200, b"<html>maintenance</html>", "text/html"),
            "Crossref sent an answer that is not JSON.",
        ),
        ((200, b'{"status": "ok"}', "application/json"), "in an unknown format"),
        ((200, b'["a list"]', "application/json"), "in an unknown format"),
        ((200, b'{"message": "text"}', "application/json"), "in an unknown format"),
    ],
)
def test_a_broken_crossref_is_one_sentence(recorded_sources, answer, message):
    recorded_sources.answer_with = answer
    with pytest.raises(LookupFailed, match=message.replace("(", r"\(").replace(")", r"\)")):
        from_crossref("10.3390/nu9050429")


@pytest.mark.parametrize(
    "body",
    [
        {"result": {"uids": []}},
        {"result": "none"},
        {"esummaryresult": ["Invalid uid"]},
    ],
)
def test_a_broken_esummary_is_one_sentence(recorded_sources, body):
    recorded_sources.answer_with = (200, json.dumps(body).encode(), "application/json")
    with pytest.raises(LookupFailed, match="PubMed sent an answer in an unknown format"):
        from_esummary("28445426", "pubmed")


def test_odd_values_in_a_record_are_skipped_not_fatal(recorded_sources):
    record = {
        "status": "ok",
        "message": {
            "title": "<jats:italic>In vitro</jats:italic> &lt;b&gt;",
            "author": ["a string", {"given": "No family"}, {"family": ["not", "text"]}],
            "issued": {"date-parts": [[None]]},
            "type": "peer-review",
            "DOI": "not a doi",
            "volume": 12,
        },
    }
    recorded_sources.answer_with = (200, json.dumps(record).encode(), "application/json")
    found = from_crossref("10.1000/x")
    assert found["title"] == "In vitro <b>"  # tags dropped, entities read: text, escaped later
    assert found["authors"] == [{"family": "not"}]
    assert found["year"] is None
    assert found["csl_type"] == "document"
    assert found["doi"] == "10.1000/x"
    assert found["volume"] == ""
