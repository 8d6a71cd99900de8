"""A publication's details from Crossref (by DOI) and NCBI E-utilities (by PubMed or PMC ID).

Fetched values fill the citation form for the editor to check and save: nothing here
saves a record, and nothing here says a record is verified (a record found by its DOI is
not yet checked against the text that cites it). Every failure (no network, a timeout, a
404, an answer that is not the documented JSON) is a LookupFailed with a sentence for
the editor, who can always fill the fields by hand.

Formats read: Crossref REST API `GET /works/{doi}` (`{"status": "ok", "message": {...}}`,
fields as in Crossref's api_format documentation) and E-utilities `esummary.fcgi` with
`retmode=json` (`{"result": {"uids": [...], "<uid>": {...}}}`).
"""

import re
from html import unescape
from urllib.parse import quote

import httpx
from django.conf import settings
from django.utils.html import strip_tags

from .identifiers import IdentifierError, normalise_doi, normalise_pmcid
from .names import vancouver
from .source_types import SourceType, source_type

USER_AGENT = "evidence-health/1 (citation lookup for editors)"
# Crossref "type" values that name the same thing as a CSL type under another word.
CROSSREF_TYPES = {
    "journal-article": SourceType.ARTICLE_JOURNAL,
    "book-chapter": SourceType.CHAPTER,
    "book-section": SourceType.CHAPTER,
    "book-part": SourceType.CHAPTER,
    "reference-entry": SourceType.CHAPTER,
    "posted-content": SourceType.PREPRINT,
    "proceedings-article": SourceType.PAPER_CONFERENCE,
    "dissertation": SourceType.THESIS,
    "report": SourceType.REPORT,
    "report-component": SourceType.REPORT,
    "dataset": SourceType.DATASET,
    "database": SourceType.DATASET,
    "monograph": SourceType.BOOK,
    "edited-book": SourceType.BOOK,
    "reference-book": SourceType.BOOK,
    "book": SourceType.BOOK,
}


class LookupFailed(Exception):
    """What went wrong, in a sentence for the editor."""


def _get_json(url, params, service, what):
    try:
        response = httpx.get(
            url,
            params=params,
            timeout=settings.SOURCE_LOOKUP_TIMEOUT,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=True,
        )
    except httpx.TimeoutException:
        raise LookupFailed(f"{service} did not answer in time.") from None
    except httpx.HTTPError:
        raise LookupFailed(f"{service} could not be reached (no network connection?).") from None
    if response.status_code == 404:
        raise LookupFailed(f"{service} has no record of {what}.")
    if response.status_code != 200:
        raise LookupFailed(f"{service} answered with an error ({response.status_code}).")
    try:
        return response.json()
    except ValueError:
        raise LookupFailed(f"{service} sent an answer that is not JSON.") from None


def _text(value):
    """Plain text from a Crossref or PubMed string (titles may carry JATS/HTML tags)."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if not isinstance(value, str):
        return ""
    return " ".join(unescape(strip_tags(value)).split())


def _year(text):
    match = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", str(text or ""))
    return int(match.group(1)) if match else None


def from_crossref(doi):
    """Form values from Crossref's record of a DOI."""
    url = f"{settings.CROSSREF_API_URL}/works/{quote(doi, safe='/')}"
    data = _get_json(url, {}, "Crossref", f"the DOI {doi}")
    work = data.get("message") if isinstance(data, dict) else None
    if not isinstance(work, dict):
        raise LookupFailed("Crossref sent an answer in an unknown format.")
    title = _text(work.get("title"))
    subtitle = _text(work.get("subtitle"))
    if title and subtitle:
        title = f"{title}: {subtitle}"
    authors = []
    for person in work.get("author") or []:
        if not isinstance(person, dict):
            continue
        if person.get("family"):
            name = {"family": _text(person["family"])}
            if person.get("given"):
                name["given"] = _text(person["given"])
            authors.append(name)
        elif person.get("name"):
            authors.append({"literal": _text(person["name"])})
    try:
        year = int((work.get("issued") or {})["date-parts"][0][0])
    except (KeyError, IndexError, TypeError, ValueError):
        year = None
    kind = work.get("type")
    if kind == "posted-content" and work.get("subtype") not in (None, "preprint"):
        kind = "document"
    found_type = CROSSREF_TYPES.get(kind) or source_type(kind) or SourceType.DOCUMENT
    fields = {
        "csl_type": found_type.value,
        "title": title,
        "authors": authors,
        "container_title": _text(work.get("container-title")),
        "year": year,
        "volume": _text(work.get("volume")),
        "issue": _text(work.get("issue")),
        "pages": _text(work.get("page")) or _text(work.get("article-number")),
    }
    try:
        fields["doi"] = normalise_doi(_text(work.get("DOI"))) or doi
    except IdentifierError:
        fields["doi"] = doi
    return fields


def from_esummary(identifier, database):
    """Form values from PubMed's (database "pubmed") or PMC's ("pmc") summary."""
    uid = identifier.removeprefix("PMC")
    params = {"db": database, "id": uid, "retmode": "json"}
    service = "PubMed" if database == "pubmed" else "PubMed Central"
    what = f"the PubMed ID {identifier}" if database == "pubmed" else identifier
    data = _get_json(f"{settings.NCBI_EUTILS_URL}/esummary.fcgi", params, service, what)
    result = data.get("result") if isinstance(data, dict) else None
    record = result.get(uid) if isinstance(result, dict) else None
    if not isinstance(record, dict):
        raise LookupFailed(f"{service} sent an answer in an unknown format.")
    if record.get("error"):
        raise LookupFailed(f"{service} has no record of {what}.")
    authors = []
    for person in record.get("authors") or []:
        name = _text(person.get("name")) if isinstance(person, dict) else ""
        if name:
            is_person = person.get("authtype", "Author") == "Author"
            authors.append((is_person and vancouver(name)) or {"literal": name})
    ids = {
        item.get("idtype"): _text(item.get("value"))
        for item in record.get("articleids") or []
        if isinstance(item, dict)
    }
    pubtypes = record.get("pubtype") or []
    found_type = SourceType.PREPRINT if "Preprint" in pubtypes else SourceType.ARTICLE_JOURNAL
    if record.get("doctype") in ("book", "chapter"):
        found_type = SourceType(record["doctype"])
    fields = {
        "csl_type": found_type.value,
        "title": _text(record.get("title")).removesuffix("."),
        "authors": authors,
        "container_title": _text(record.get("fulljournalname")) or _text(record.get("source")),
        "year": _year(record.get("pubdate")) or _year(record.get("epubdate")),
        "volume": _text(record.get("volume")),
        "issue": _text(record.get("issue")),
        "pages": _text(record.get("pages")),
    }
    for idtype, field, normalise in (
        ("doi", "doi", normalise_doi),
        ("pmc", "pmcid", normalise_pmcid),
        ("pmcid", "pmcid", normalise_pmcid),
    ):
        try:
            value = normalise(ids.get(idtype, "").removeprefix("pmc-id: ").split(";")[0])
        except IdentifierError:
            continue
        if value and not fields.get(field):
            fields[field] = value
    pmid = ids.get("pubmed") or ids.get("pmid") or (uid if database == "pubmed" else "")
    if pmid.isdigit():
        fields["pmid"] = pmid
    return fields


def fetch(doi="", pmid="", pmcid=""):
    """(fields, sources, problems): the values found, the services that gave them, and a
    sentence for each service that failed. Crossref's values win where both answer (its
    names and journal titles are as the publisher wrote them); PubMed adds its IDs."""
    found, sources, problems = {}, [], []
    for identifier, database in ((pmid, "pubmed"), (pmcid, "pmc")):
        if not identifier or found:
            continue
        try:
            found = from_esummary(identifier, database)
            sources.append("PubMed" if database == "pubmed" else "PubMed Central")
        except LookupFailed as failure:
            problems.append(str(failure))
    doi = doi or found.get("doi", "")
    if doi:
        try:
            crossref = from_crossref(doi)
            sources.insert(0, "Crossref")
            found = {**found, **{k: v for k, v in crossref.items() if v}}
        except LookupFailed as failure:
            problems.append(str(failure))
    return found, sources, problems
