"""A count of what the hostile-input suite sent, and to which fields (printed at the end
of the run by tests/security/conftest.py)."""

from collections import defaultdict

SENT = defaultdict(set)  # field → distinct inputs
SENDS = defaultdict(int)  # field → how many times something was sent to it


def sent(field, *values):
    for value in values:
        SENT[field].add(value if isinstance(value, str | bytes) else repr(value))
        SENDS[field] += 1


def export():
    """The counts as plain lists and numbers, to send from an xdist worker."""
    return {"sent": {field: list(values) for field, values in SENT.items()}, "sends": dict(SENDS)}


def merge(exported):
    """Add a worker's export() to this process's counts."""
    if not exported:
        return
    for field, values in exported["sent"].items():
        SENT[field].update(values)
    for field, count in exported["sends"].items():
        SENDS[field] += count


def summary():
    inputs = set().union(*SENT.values()) if SENT else set()
    pairs = sum(len(values) for values in SENT.values())
    return {
        "fields": len(SENT),
        "distinct_inputs": len(inputs),
        "field_input_pairs": pairs,
        "sends": sum(SENDS.values()),
        "per_field": {field: len(values) for field, values in sorted(SENT.items())},
    }
