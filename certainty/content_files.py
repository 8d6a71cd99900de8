"""content/outcomes/<slug>.json: an article's outcomes, in display order.

The certainty is computed and sign-offs are signed in the admin, so neither is ever in the
file. parse() and dumps() are inverses on files in canonical form (what export writes).
"""

import hashlib
import json
import re

from .grading import Start, problems
from .models import CONTENT_FIELDS, Kind
from .wording import Direction, Effect

# The file's names for the model's fields, in the file's order.
FILE_FIELDS = [("citations" if name == "citation_keys" else name) for name in CONTENT_FIELDS]
FIELD_NAMES = list(zip(CONTENT_FIELDS, FILE_FIELDS, strict=True))  # (model, file)
REQUIRED = {"key", "question", "intervention", "outcome", "kind", "direction", "effect", "start"}
CHOICES = {"kind": Kind, "direction": Direction, "effect": Effect, "start": Start}
NEVER_IN_FILES = {
    "certainty": "the certainty is computed from the ratings, never written in the file",
    "statement": "the statement is generated from the certainty and the effect",
    "signed_by": "sign-offs are made in the admin, never in files",
    "signed_at": "sign-offs are made in the admin, never in files",
}
KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class OutcomeFileError(ValueError):
    def __init__(self, path, line, reason):
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"{path}, line {line}: {reason}")


def line_of(text, needle):
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return number
    return 1


def parse(text, path="<outcomes>", citation_keys=None):
    """The outcomes as lists of model field values; OutcomeFileError names the line."""
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise OutcomeFileError(path, exc.lineno, f"not valid JSON ({exc.msg}).") from None
    if not isinstance(items, list):
        raise OutcomeFileError(path, 1, "expected a list of outcomes.")
    outcomes, seen = [], set()
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise OutcomeFileError(path, 1, f"outcome {index + 1} is not an object.")
        key = item.get("key")
        line = line_of(text, f'"key": "{key}"') if isinstance(key, str) else 1
        for reason in item_problems(item, citation_keys):
            raise OutcomeFileError(path, line, f"outcome “{key}”: {reason}")
        if key in seen:
            raise OutcomeFileError(path, line, f"the outcome key “{key}” is used twice.")
        seen.add(key)
        values = {name: item.get(file_name) for name, file_name in FIELD_NAMES}
        for name in ("comparison", "population"):
            values[name] = values[name] or ""
        for name in ("down", "up", "citation_keys"):
            values[name] = values[name] or []
        outcomes.append(values)
    return outcomes


def item_problems(item, citation_keys=None):
    for name, reason in NEVER_IN_FILES.items():
        if name in item:
            yield f"“{name}” is not allowed: {reason}."
    unknown = sorted(set(item) - set(FILE_FIELDS) - set(NEVER_IN_FILES))
    if unknown:
        yield f"unknown field(s) {', '.join(unknown)}; the fields are {', '.join(FILE_FIELDS)}."
    missing = sorted(name for name in REQUIRED if not item.get(name))
    if missing:
        yield f"missing {', '.join(missing)}."
        return
    if not KEY.match(str(item["key"])) or len(item["key"]) > 40:
        yield "the key may hold only a-z, 0-9 and - (at most 40 characters)."
    for name, choices in CHOICES.items():
        if item[name] not in choices.values:
            yield f"“{name}” must be one of {', '.join(choices.values)}, not “{item[name]}”."
    for name in ("studies", "participants"):
        value = item.get(name)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < 0
        ):
            yield f"“{name}” must be a whole number or null (not reported)."
    cited = item.get("citations") or []
    if not isinstance(cited, list) or not all(isinstance(k, str) for k in cited):
        yield "“citations” must be a list of citation keys."
    elif citation_keys is not None:
        for key in cited:
            if key not in citation_keys:
                yield f"unknown citation key “{key}”."
    yield from problems(item["start"], item.get("down") or [], item.get("up") or [],
                        item.get("studies"))  # fmt: skip


def to_item(outcome):
    """One outcome as the file writes it."""
    return {file_name: getattr(outcome, name) for name, file_name in FIELD_NAMES}


def dumps(items):
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def item_hash(item):
    return hashlib.sha256(json.dumps(item, sort_keys=True).encode()).hexdigest()
