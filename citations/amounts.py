"""Drug amounts: a number with a unit of mass (g, mg, µg, mcg, micrograms).

The site never tells readers how much of a drug to take, so no amount may reach a page,
a source page or an export: not in the article, not in a citation record's fields.
"""

import re

AMOUNT = re.compile(
    r"\b\d+(?:[.,]\d+)?\s*(?:-|–|to)?\s*(?:\d+(?:[.,]\d+)?\s*)?"
    r"(?:g|grams?|mg|milligrams?|[µμ]g|mcg|micrograms?)(?![\w])",
    re.IGNORECASE,
)
# Fields of a CSL record that are addresses or identifiers, not text a reader reads.
IDENTIFIERS = {"id", "DOI", "PMID", "PMCID", "URL"}


def amounts_in(text):
    """Every drug amount written in the text, as written."""
    return [match.group(0) for match in AMOUNT.finditer(text or "")]


def amounts_in_record(item):
    """(field, amount) for every drug amount in a CSL record's readable fields."""
    found = []
    fields = {k: v for k, v in item.items() if k not in IDENTIFIERS and k != "custom"}
    fields.update({f"custom.{k}": v for k, v in (item.get("custom") or {}).items()})
    for name, value in fields.items():
        for amount in amounts_in(value if isinstance(value, str) else str(value)):
            found.append((name, amount))
    return found
