"""The hostile-input suite's line at the end of a run: how many inputs went to how many
fields. Loaded by tests/conftest.py, so that under pytest-xdist the controller, which
collects no tests, still prints it from the counts each worker sends back."""

import json

import pytest

from tests.conftest import ROOT

from . import tally


def pytest_sessionfinish(session):
    output = getattr(session.config, "workeroutput", None)
    if output is not None:  # an xdist worker: hand the counts to the controller
        output["hostile_tally"] = tally.export()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    tally.merge(getattr(node, "workeroutput", {}).get("hostile_tally"))


def pytest_terminal_summary(terminalreporter):
    summary = tally.summary()
    if not summary["fields"]:
        return
    failed = [
        report
        for report in terminalreporter.stats.get("failed", [])
        if "tests/security/" in report.nodeid
    ]
    verdict = "none got through" if not failed else f"{len(failed)} security tests FAILED"
    terminalreporter.write_sep("-", "hostile-input suite")
    terminalreporter.write_line(
        f"{summary['distinct_inputs']} distinct inputs sent to {summary['fields']} fields "
        f"({summary['field_input_pairs']} field/input pairs, {summary['sends']} sends): "
        f"{verdict}."
    )
    artifacts = ROOT / "artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "hostile-input-summary.json").write_text(
        json.dumps({**summary, "verdict": verdict}, indent=2, ensure_ascii=False)
    )
