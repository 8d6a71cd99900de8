"""content/support/<slug>.json: each check of one claim against one source.

A claim-source pair with no record is not yet checked; a record whose sentence no
longer matches a claim is kept but checks nothing (the sentence changed).
"""

import datetime
import hashlib
import json

from .support import Support

FIELDS = ["citation", "sentence", "support", "pinpoint", "checked_by", "checked_on"]


class SupportFileError(ValueError):
    def __init__(self, path, line, reason):
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"{path}, line {line}: {reason}")


def parse(text, path="<support>", citation_keys=None):
    """Records as dicts of ClaimSupport values (citation as its key)."""
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SupportFileError(path, exc.lineno, f"not valid JSON ({exc.msg}).") from None
    if not isinstance(items, list):
        raise SupportFileError(path, 1, "expected a list of checks.")
    records = []
    for index, item in enumerate(items):
        where = f"check {index + 1}"
        if not isinstance(item, dict):
            raise SupportFileError(path, 1, f"{where} is not an object.")
        line = line_for(text, item)
        unknown = sorted(set(item) - set(FIELDS))
        if unknown:
            raise SupportFileError(path, line, f"{where}: unknown field(s) {', '.join(unknown)}.")
        citation, sentence = item.get("citation"), item.get("sentence")
        if not isinstance(citation, str) or not isinstance(sentence, str) or not sentence.strip():
            raise SupportFileError(path, line, f"{where} needs a citation key and a sentence.")
        if citation_keys is not None and citation not in citation_keys:
            raise SupportFileError(path, line, f"{where}: unknown citation key “{citation}”.")
        support = item.get("support", Support.UNCHECKED)
        if support not in Support.values:
            raise SupportFileError(
                path, line, f"{where}: support must be one of {', '.join(Support.values)}."
            )
        pinpoint = item.get("pinpoint") or ""
        if Support(support).needs_pinpoint and not pinpoint.strip():
            raise SupportFileError(
                path, line, f"{where}: “{support}” needs a pinpoint (a quote, page or table)."
            )
        checked_on = item.get("checked_on")
        try:
            checked_on = datetime.date.fromisoformat(checked_on) if checked_on else None
        except (TypeError, ValueError):
            raise SupportFileError(
                path, line, f"{where}: checked_on must be a date written YYYY-MM-DD."
            ) from None
        records.append(
            {
                "citation": citation,
                "sentence": " ".join(sentence.split()),
                "support": support,
                "pinpoint": pinpoint,
                "checked_by": item.get("checked_by") or "",
                "checked_on": checked_on,
            }
        )
    return records


def line_for(text, item):
    sentence = item.get("sentence")
    needle = json.dumps(sentence, ensure_ascii=False)[:60] if isinstance(sentence, str) else None
    for number, line in enumerate(text.split("\n"), start=1):
        if needle and needle in line:
            return number
    return 1


def to_item(record):
    return {
        "citation": record.citation.key,
        "sentence": record.sentence,
        "support": record.support,
        "pinpoint": record.pinpoint,
        "checked_by": record.checked_by,
        "checked_on": record.checked_on.isoformat() if record.checked_on else None,
    }


def dumps(items):
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def item_hash(item):
    return hashlib.sha256(json.dumps(item, sort_keys=True, default=str).encode()).hexdigest()
