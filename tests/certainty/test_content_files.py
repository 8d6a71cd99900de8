"""Outcomes and support checks round-trip through content/: import_content reads
content/outcomes/<slug>.json and content/support/<slug>.json (a missing file is fine),
export_content writes them back byte for byte; a file that types a certainty or whose
ratings do not add up is refused with its line, and nothing is imported."""

import json

import pytest
from django.core.management.base import CommandError

from certainty.models import Outcome
from citations.models import ClaimSupport
from tests.articles.helpers import SLUG, copy_content, run

pytestmark = pytest.mark.django_db


def test_import_reads_the_outcomes_and_tolerates_a_missing_support_file(tmp_path):
    content = copy_content(tmp_path)
    (content / "support" / f"{SLUG}.json").unlink(missing_ok=True)
    run("import_content", dir=str(content))
    outcomes = list(Outcome.objects.filter(article__slug=SLUG))
    assert len(outcomes) >= 4
    assert len({o.certainty for o in outcomes}) >= 2
    assert not ClaimSupport.objects.exists()
    assert "Nothing to import" in run("import_content", dir=str(content))


def test_export_writes_back_what_was_imported_byte_for_byte(tmp_path):
    """The article's own checks: every record imported as written, then exported unchanged."""
    content = copy_content(tmp_path)
    records = json.loads((content / "support" / f"{SLUG}.json").read_text(encoding="utf-8"))
    run("import_content", dir=str(content))
    assert ClaimSupport.objects.filter(article__slug=SLUG).count() == len(records)
    for record in records[:3]:
        row = ClaimSupport.objects.get(
            citation__key=record["citation"], sentence=record["sentence"]
        )
        assert (row.support, row.pinpoint) == (record["support"], record["pinpoint"])
    before = {p.name: p.read_bytes() for p in content.rglob("*.json")}
    assert "Nothing to export" in run("export_content", dir=str(content))
    assert {p.name: p.read_bytes() for p in content.rglob("*.json")} == before
    assert "Nothing to import" in run("import_content", dir=str(content))


def test_an_outcome_changed_in_the_admin_is_left_alone_unless_forced(tmp_path):
    content = copy_content(tmp_path)
    run("import_content", dir=str(content))
    outcome = Outcome.objects.get(key="mood")
    outcome.participants = 1
    outcome.save()
    path = content / "outcomes" / f"{SLUG}.json"
    items = json.loads(path.read_text())
    items[1]["participants"] = 2
    path.write_text(json.dumps(items, indent=2) + "\n")
    output = run("import_content", dir=str(content))
    assert f"left alone outcome {SLUG}#mood" in output
    assert Outcome.objects.get(key="mood").participants == 1
    run("import_content", dir=str(content), force=True)
    assert Outcome.objects.get(key="mood").participants == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"certainty": "high"}, "“certainty” is not allowed: the certainty is computed"),
        (
            {"down": [{"domain": "imprecision", "levels": 1, "reason": ""}]},
            "Imprecision: say why",
        ),
        ({"up": [{"domain": "large-effect", "levels": 1, "reason": "Big."}]}, "rated up"),
        ({"citations": ["no-such-source"]}, "unknown citation key “no-such-source”"),
    ],
)
def test_a_bad_outcome_is_refused_with_its_line_and_nothing_is_imported(tmp_path, change, message):
    content = copy_content(tmp_path)
    path = content / "outcomes" / f"{SLUG}.json"
    items = json.loads(path.read_text())
    items[1].update(change)
    path.write_text(json.dumps(items, indent=2) + "\n")
    line = next(
        n for n, text in enumerate(path.read_text().split("\n"), 1) if '"key": "mood"' in text
    )
    with pytest.raises(CommandError) as raised:
        run("import_content", dir=str(content))
    assert f"{SLUG}.json, line {line}: outcome “mood”: " in str(raised.value)
    assert message in str(raised.value)
    assert "Nothing was imported" in str(raised.value)
    assert not Outcome.objects.exists()
