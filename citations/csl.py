"""Citation records to and from CSL-JSON (content/citations.json, the CSL-JSON export).

The site's own fields live under `custom`, as in Pandoc and Zotero's CSL-JSON. to_csl()
writes keys in one fixed order, so export is deterministic and import then export gives
back the same bytes.
"""

import hashlib
import json

from .formatting import web_url
from .identifiers import NORMALISERS, IdentifierError
from .models import Citation, StudyDesign, Verification
from .source_types import SourceType, source_type

MODEL_FIELDS = {
    "type": "csl_type",
    "title": "title",
    "author": "authors",
    "container-title": "container_title",
    "volume": "volume",
    "issue": "issue",
    "page": "pages",
    "DOI": "doi",
    "PMID": "pmid",
    "PMCID": "pmcid",
    "URL": "url",
}
KEY_ORDER = ["id", "type", "title", "author", "container-title", "issued", "volume", "issue",
             "page", "DOI", "PMID", "PMCID", "URL"]  # fmt: skip
CUSTOM_ORDER = ["study_design", "sample_size", "finding", "verification", "verification_note",
                "described_as"]  # fmt: skip
CUSTOM_FIELDS = {
    "study_design": "study_design",
    "sample_size": "sample_size",
    "finding": "finding",
    "verification": "verification",
    "verification_note": "verification_note",
    "described_as": "described_as",
}


# CSL name parts in the order export writes them. JSONField on PostgreSQL (jsonb) does not
# keep the order keys were stored in, so export must not depend on it.
NAME_ORDER = ["family", "given", "literal", "dropping-particle", "non-dropping-particle", "suffix"]


class CSLError(ValueError):
    pass


def canonical(value):
    """Dicts with their keys in one fixed order, whatever order the database returns."""
    if isinstance(value, dict):
        return {key: canonical(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [canonical(item) for item in value]
    return value


def name_parts(author):
    ordered = {key: author[key] for key in NAME_ORDER if key in author}
    return ordered | {key: canonical(author[key]) for key in sorted(author) if key not in ordered}


def to_csl(citation):
    item = {"id": citation.key, "type": citation.csl_type}
    extra = canonical(dict(citation.csl_extra or {}))
    for key in KEY_ORDER[2:]:
        if key == "issued":
            if "issued" in extra:
                item["issued"] = extra.pop("issued")
            elif citation.year:
                item["issued"] = {"date-parts": [[citation.year]]}
            continue
        value = getattr(citation, MODEL_FIELDS[key])
        if key == "author":
            value = [name_parts(author) for author in value]
        if value or (key == "title" and not citation.located):
            item[key] = value
    item.update(extra)
    custom = {}
    for key in CUSTOM_ORDER:
        value = getattr(citation, CUSTOM_FIELDS[key])
        if value or key in ("study_design", "verification"):
            custom[key] = value
    item["custom"] = custom
    return item


def fields_from_csl(item, where="citations.json"):
    """Model field values from one CSL item; CSLError names the record and the problem."""
    key = item.get("id")
    if not key or not isinstance(key, str):
        raise CSLError(f"{where}: a record has no id.")
    custom = item.get("custom") or {}
    design = custom.get("study_design")
    if design not in StudyDesign.values:
        raise CSLError(f"{where}: record “{key}” has an unknown study_design “{design}”.")
    verification = custom.get("verification")
    if verification not in Verification.values:
        raise CSLError(f"{where}: record “{key}” has an unknown verification “{verification}”.")
    values = {"key": key}
    for csl_key, field in MODEL_FIELDS.items():
        default = [] if field == "authors" else ""
        values[field] = item.get(csl_key) or default
    kind = source_type(values["csl_type"] or SourceType.ARTICLE_JOURNAL)
    if kind is None:
        raise CSLError(
            f"{where}: record “{key}” has an unknown type “{values['csl_type']}” (CSL types: "
            f"{', '.join(SourceType.values)})."
        )
    values["csl_type"] = kind.value
    for field, normalise in NORMALISERS.items():
        # A DOI, PubMed or PMC ID written as its link is stored as the identifier.
        try:
            values[field] = normalise(str(values[field]))
        except IdentifierError as error:
            raise CSLError(f"{where}: record “{key}”: {values[field]!r}: {error}") from None
    if values["url"] and not web_url(values["url"]):
        raise CSLError(f"{where}: record “{key}” has a URL that is not an http(s) address.")
    for csl_key, field in CUSTOM_FIELDS.items():
        values[field] = custom.get(csl_key) or ""
    issued = item.get("issued")
    extra = {k: v for k, v in item.items() if k not in KEY_ORDER and k != "custom"}
    values["year"] = None
    if issued:
        try:
            values["year"] = int(issued["date-parts"][0][0])
        except (KeyError, IndexError, TypeError, ValueError):
            raise CSLError(f"{where}: record “{key}” has an unreadable issued date.") from None
        if issued != {"date-parts": [[values["year"]]]}:
            extra["issued"] = issued
    values["csl_extra"] = extra
    values["imported_hash"] = record_hash(item)
    return values


def record_hash(item):
    return hashlib.sha256(json.dumps(item, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def dumps(items):
    return json.dumps(items, indent=1, ensure_ascii=False) + "\n"


def export_all():
    return dumps([to_csl(c) for c in Citation.objects.order_by("pk")])
