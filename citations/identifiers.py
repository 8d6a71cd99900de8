"""DOIs, PubMed IDs and PMC IDs as editors paste them, reduced to the identifier.

Everyone copies a DOI as its link (`https://doi.org/10.3390/nu9050429`), sometimes as
`doi:10.…` or from a reference with its full stop; PubMed and PMC IDs come as links too.
The database holds the bare identifier; links are built from it here, in one place, so a
page or an export never links a link (`https://doi.org/https://doi.org/…`).
"""

import re
from urllib.parse import quote, unquote, urlsplit

DOI_HOSTS = {"doi.org", "dx.doi.org", "www.doi.org"}
PUBMED_HOSTS = {"pubmed.ncbi.nlm.nih.gov", "www.ncbi.nlm.nih.gov", "ncbi.nlm.nih.gov"}
PMC_HOSTS = {"pmc.ncbi.nlm.nih.gov", "www.ncbi.nlm.nih.gov", "ncbi.nlm.nih.gov"}

# A DOI is "10.", a registrant code, a slash and a suffix of any printable characters
# (DOI Handbook 2.2). Whitespace and control characters are never part of one.
DOI = re.compile(r"10\.\d{4,9}(?:\.\d+)*/\S+")
PMID = re.compile(r"[1-9]\d{0,8}")
PMCID = re.compile(r"PMC[1-9]\d{0,9}")
# Spaces of every kind, zero-width characters and the byte-order mark, as copied from a
# PDF or a web page.
INVISIBLE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")
SCHEME = re.compile(r"^(?:https?://)?", re.IGNORECASE)


class IdentifierError(ValueError):
    """The text is not an identifier of the kind asked for; the message says what is."""


def _squeeze(text):
    return INVISIBLE.sub(" ", text or "").strip()


def _as_url(text):
    """(host, path, query) if the text is a link (with or without its scheme), else None."""
    if " " in text or "/" not in text:
        return None
    try:
        parts = urlsplit(SCHEME.sub("https://", text, count=1))
    except ValueError:  # "[click]" is read as an IPv6 address, and is not one
        return None
    host = (parts.hostname or "").lower()
    if not host or "." not in host:
        return None
    return host, parts.path, parts.query


def normalise_doi(text):
    """The DOI in a DOI, `doi:` DOI or doi.org link (URL-encoded or not), or ""."""
    text = _squeeze(text)
    if not text:
        return ""
    text = re.sub(r"^doi\s*:\s*", "", text, flags=re.IGNORECASE)
    url = _as_url(text)
    if url is not None and not DOI.fullmatch(text):
        host, path, _query = url
        if host not in DOI_HOSTS:
            raise IdentifierError(
                f"“{host}” is not doi.org: paste the DOI itself (it starts with 10.) or its "
                "https://doi.org/ link, and put other links under URL."
            )
        # doi.org/doi:10.… is seen in the wild too.
        text = re.sub(r"^doi\s*:\s*", "", path.lstrip("/"), flags=re.IGNORECASE)
    if "%" in text:
        text = unquote(text)
    # A DOI copied from the end of a reference brings its full stop (or comma) along.
    text = text.rstrip(".,;")
    if not DOI.fullmatch(text) or INVISIBLE.search(text) or not text.isprintable():
        raise IdentifierError(
            "This is not a DOI: a DOI starts with 10., then a number, a slash and the rest, "
            "like 10.3390/nu9050429 (a https://doi.org/ link is fine too)."
        )
    return text


def normalise_pmid(text):
    """The PubMed ID in "12345", "PMID: 12345" or a PubMed link, or ""."""
    text = _squeeze(text)
    if not text:
        return ""
    url = _as_url(text)
    if url is not None:
        host, path, query = url
        if host in PUBMED_HOSTS:
            # pubmed.ncbi.nlm.nih.gov/12345/ and ncbi.nlm.nih.gov/pubmed/12345 (also
            # the old ?term=12345 search link).
            match = re.fullmatch(r"/(?:pubmed/)?(\d+)/?", path) or re.fullmatch(
                r"(?:.*&)?term=(\d+)(?:&.*)?", query if path.rstrip("/") == "/pubmed" else ""
            )
            if match:
                text = match.group(1)
    text = re.sub(r"^pmid\s*:?\s*", "", text, flags=re.IGNORECASE)
    if not PMID.fullmatch(text):
        raise IdentifierError(
            "This is not a PubMed ID: it is a number like 33648632, or a link like "
            "https://pubmed.ncbi.nlm.nih.gov/33648632/."
        )
    return text


def normalise_pmcid(text):
    """The PMC ID ("PMC1234567") in a PMC ID, with or without "PMC", or a PMC link, or ""."""
    text = _squeeze(text)
    if not text:
        return ""
    url = _as_url(text)
    if url is not None:
        host, path, _query = url
        match = host in PMC_HOSTS and re.fullmatch(
            r"/(?:pmc/)?articles/(PMC\d+)(?:/.*)?", path, flags=re.IGNORECASE
        )
        if match:
            text = match.group(1)
    text = re.sub(r"^pmcid\s*:?\s*", "", text, flags=re.IGNORECASE).upper()
    if text.isdigit():
        text = f"PMC{text}"
    if not PMCID.fullmatch(text):
        raise IdentifierError(
            "This is not a PMC ID: it is PMC and a number, like PMC7925122, or a link to "
            "the article on PubMed Central."
        )
    return text


def is_doi_link(text):
    """Whether the text is a doi.org (or dx.doi.org) link to a DOI."""
    url = _as_url(_squeeze(text))
    if url is None or url[0] not in DOI_HOSTS:
        return False
    try:
        return bool(normalise_doi(text))
    except IdentifierError:
        return False


NORMALISERS = {"doi": normalise_doi, "pmid": normalise_pmid, "pmcid": normalise_pmcid}


def identify(text):
    """(kind, identifier) for whichever of a DOI, PubMed ID or PMC ID the text is."""
    # A bare number is a PubMed ID: a PMC ID is written with its "PMC".
    for kind in ("doi", "pmid", "pmcid"):
        try:
            value = NORMALISERS[kind](text)
        except IdentifierError:
            continue
        if value:
            return kind, value
    raise IdentifierError(
        "Paste a DOI (10.…), a PubMed ID, a PMC ID (PMC…) or a link to one of them."
    )


# Characters that end or break a URL path (#, ?, %, spaces, quotes, <>) are encoded in a
# DOI's link; its slashes and the punctuation doi.org reads as it is are kept.
DOI_SAFE = "/:;()[],'!*+=@$&"


def doi_url(doi):
    return f"https://doi.org/{quote(doi, safe=DOI_SAFE)}" if doi else ""


def pubmed_url(pmid):
    return f"https://pubmed.ncbi.nlm.nih.gov/{quote(pmid, safe='')}/" if pmid else ""


def pmc_url(pmcid):
    return f"https://pmc.ncbi.nlm.nih.gov/articles/{quote(pmcid, safe='')}/" if pmcid else ""
