"""DOIs, PubMed IDs and PMC IDs are stored as identifiers however an editor pastes them,
and linked from that identifier exactly once."""

import pytest

from citations.identifiers import (
    IdentifierError,
    doi_url,
    identify,
    normalise_doi,
    normalise_pmcid,
    normalise_pmid,
    pmc_url,
    pubmed_url,
)

DOI = "10.3390/nu9050429"


@pytest.mark.parametrize(
    "pasted",
    [
        DOI,
        f"https://doi.org/{DOI}",
        f"http://doi.org/{DOI}",
        f"https://dx.doi.org/{DOI}",
        f"http://dx.doi.org/{DOI}",
        f"HTTPS://DOI.ORG/{DOI}",
        f"https://www.doi.org/{DOI}",
        f"doi.org/{DOI}",
        f"doi:{DOI}",
        f"DOI: {DOI}",
        f"doi: https://doi.org/{DOI}",
        f"https://doi.org/doi:{DOI}",
        "https://doi.org/10.3390%2Fnu9050429",
        f"  {DOI}\n",
        f"\u200b{DOI}\u00a0",
        f"{DOI}.",  # copied from the end of a reference
        f"https://doi.org/{DOI}?utm_source=share",
    ],
)
def test_a_doi_pasted_any_way_is_stored_as_the_doi(pasted):
    assert normalise_doi(pasted) == DOI


def test_url_encoded_characters_of_an_old_doi_are_decoded_and_linked_encoded():
    """A SICI DOI has <, >, ; and # -like characters that a link must encode once."""
    pasted = "https://doi.org/10.1002/%28SICI%291097-4636%28199812%2943%3A4%3C365%3A%3AAID-JBM3%3E3.0.CO%3B2-6"
    doi = normalise_doi(pasted)
    assert doi == "10.1002/(SICI)1097-4636(199812)43:4<365::AID-JBM3>3.0.CO;2-6"
    assert doi_url(doi) == (
        "https://doi.org/10.1002/(SICI)1097-4636(199812)43:4%3C365::AID-JBM3%3E3.0.CO;2-6"
    )
    assert doi_url("10.1000/a#b?c d") == "https://doi.org/10.1000/a%23b%3Fc%20d"


def test_a_stored_doi_is_linked_once():
    assert doi_url(normalise_doi(f"https://doi.org/{DOI}")) == f"https://doi.org/{DOI}"
    assert doi_url("") == ""


@pytest.mark.parametrize(
    "pasted",
    [
        "not a doi",
        "10.1000",  # no suffix
        "11.1000/x",
        "10.12/x",  # registrant code too short
        "https://example.com/10.1000/x",
        "https://doi.org/",
        "javascript:alert(1)//10.1000/x",
        "10.1000/x y",
        "10.1000/x\x00",
        "10.1000/\u202ex",  # a bidirectional override is not printable
        "<script>alert(1)</script>",
        "https://doi.org.evil.example/10.1000/x",
    ],
)
def test_what_is_not_a_doi_is_refused_with_an_example(pasted):
    with pytest.raises(IdentifierError, match="10"):
        normalise_doi(pasted)


def test_a_link_to_another_site_is_named_in_the_message():
    with pytest.raises(IdentifierError, match="journals.plos.org"):
        normalise_doi("https://journals.plos.org/plosone/article?id=10.1371/journal.pone.0211023")


@pytest.mark.parametrize(
    "pasted",
    [
        "33648632",
        " 33648632 ",
        "PMID: 33648632",
        "pmid33648632",
        "https://pubmed.ncbi.nlm.nih.gov/33648632/",
        "https://pubmed.ncbi.nlm.nih.gov/33648632",
        "pubmed.ncbi.nlm.nih.gov/33648632/",
        "http://www.ncbi.nlm.nih.gov/pubmed/33648632",
        "https://ncbi.nlm.nih.gov/pubmed/33648632/",
        "https://www.ncbi.nlm.nih.gov/pubmed/?term=33648632",
    ],
)
def test_a_pubmed_id_pasted_any_way_is_stored_as_the_number(pasted):
    assert normalise_pmid(pasted) == "33648632"


@pytest.mark.parametrize(
    "pasted",
    [
        "PMC7925122",
        "pmc7925122",
        "PMCID: PMC7925122",
        "7925122",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC7925122/",
        "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC7925122/",
        "www.ncbi.nlm.nih.gov/pmc/articles/PMC7925122",
    ],
)
def test_a_pmc_id_pasted_any_way_is_stored_with_its_prefix(pasted):
    assert normalise_pmcid(pasted) == "PMC7925122"


@pytest.mark.parametrize(
    "normalise, pasted",
    [
        (normalise_pmid, "0"),
        (normalise_pmid, "1234567890"),
        (normalise_pmid, "12a45"),
        (normalise_pmid, "-5"),
        (normalise_pmid, "https://example.com/pubmed/33648632"),
        (normalise_pmid, "https://pubmed.ncbi.nlm.nih.gov/?term=magnesium"),
        (normalise_pmid, "\uff13\uff13\uff16"),  # full-width digits
        (normalise_pmid, "PMC7925122"),
        (normalise_pmcid, "PMC"),
        (normalise_pmcid, "PMC12ab"),
        (normalise_pmcid, "https://example.com/articles/PMC7925122/"),
        (normalise_pmcid, "10.3390/nu9050429"),
    ],
)
def test_odd_pubmed_and_pmc_ids_are_refused(normalise, pasted):
    with pytest.raises(IdentifierError):
        normalise(pasted)


def test_empty_stays_empty():
    assert normalise_doi("  ") == normalise_pmid("") == normalise_pmcid(None) == ""


@pytest.mark.parametrize(
    "pasted, found",
    [
        (f"https://doi.org/{DOI}", ("doi", DOI)),
        ("33648632", ("pmid", "33648632")),
        ("https://pubmed.ncbi.nlm.nih.gov/33648632/", ("pmid", "33648632")),
        ("PMC7925122", ("pmcid", "PMC7925122")),
        ("https://pmc.ncbi.nlm.nih.gov/articles/PMC7925122/", ("pmcid", "PMC7925122")),
    ],
)
def test_identify_tells_the_kind(pasted, found):
    assert identify(pasted) == found


def test_links_are_built_from_identifiers():
    assert pubmed_url("33648632") == "https://pubmed.ncbi.nlm.nih.gov/33648632/"
    assert pmc_url("PMC7925122") == "https://pmc.ncbi.nlm.nih.gov/articles/PMC7925122/"
    assert pubmed_url("") == pmc_url("") == ""


@pytest.mark.parametrize(
    "pasted", ["https://[click]/10.1000/x", "[click]/x", "http://[::1/x", "[/"]
)
@pytest.mark.parametrize("normalise", [normalise_doi, normalise_pmid, normalise_pmcid])
def test_a_malformed_link_is_refused_not_a_crash(normalise, pasted):
    """urlsplit raises ValueError on a bracketed host that is no IP address."""
    with pytest.raises(IdentifierError):
        normalise(pasted)


@pytest.mark.parametrize(
    "url, expected",
    [
        (f"https://doi.org/{DOI}", True),
        (f"http://dx.doi.org/{DOI}", True),
        ("https://doi.org/", False),
        ("https://doi.org/not-a-doi", False),
        (f"https://example.com/{DOI}", False),
        (DOI, False),
        ("https://[click]/", False),
    ],
)
def test_is_doi_link(url, expected):
    from citations.identifiers import is_doi_link

    assert is_doi_link(url) is expected
