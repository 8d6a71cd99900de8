"""Shared pieces of the reader-page checks: the real article in a live server, axe-core,
the Nu Html Checker, and a console watcher that fails on CSP violations.

Each module defines its own small `reader_site` fixture with load_reader_site().
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import ROOT
from tests.support.content import ARTICLE_URL, SLUG  # noqa: F401 (the browser tests import them from here)
from tests.support.skips import require_tool

ARTIFACTS = ROOT / "artifacts"
CITATION_PATH = "/citations/szigeti2021/"
MISSING_PATH = "/articles/no-such-article/"
PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}

# axe-core from npm (package.json pins it; `npm ci` installs it, no network at run time).
AXE_JS = Path(os.environ.get("AXE_JS", ROOT / "node_modules/axe-core/axe.min.js"))
# Every axe rule tagged for WCAG 2.0, 2.1 or 2.2 at level A or AA, experimental ones too.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# The rules whose outcome a colour scheme can change, and those a narrow screen can.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
LAYOUT_RULES = [
    "target-size",
    "meta-viewport",
    "scrollable-region-focusable",
    "css-orientation-lock",
]
VNU_JAR = Path(os.environ.get("VNU_JAR", ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"))


def serve_unhashed_static(settings):
    """pytest-django's live server answers /static/ through the staticfiles finders, which
    know no hashed names: with the manifest storage the stylesheet and script would 404.
    Unhashed names let the finders serve the same files (test_budget.py measures the
    hashed, collected ones)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def load_reader_site(settings, imported, live=True):
    """For a module's `reader_site` fixture, given pytest-django's `settings` and the
    `imported` fixture (the real article, content/ imported as `make run` does): the
    comment form's "too fast" rule off (a script types faster than any reader); `live`:
    static files as the live server can serve them."""
    settings.COMMENT_MIN_SECONDS = 0
    if live:
        serve_unhashed_static(settings)
    ARTIFACTS.mkdir(exist_ok=True)
    return imported


def watch_console(page, allow=()):
    """Collect console errors, CSP violations and uncaught exceptions of a page.
    `allow`: substrings of messages that are expected (e.g. the 404 of a 404 page)."""
    problems = []

    def on_console(message):
        if message.type in ("error", "warning") or "Content Security Policy" in message.text:
            text = f"{message.type}: {message.text} ({message.location.get('url')})"
            if not any(expected in text for expected in allow):
                problems.append(text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    return problems


def inject_axe(page):
    """Load axe-core into the page. Through page.evaluate, which the page's strict CSP does
    not apply to (a <script> tag would be refused)."""
    require_tool(AXE_JS.exists(), f"axe-core is missing ({AXE_JS}): run `npm ci`")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text())
    return page.evaluate("() => axe.version")


def wcag_rules(page, tags=WCAG_TAGS):
    """The ids of every axe rule with one of `tags`: axe leaves rules it calls experimental
    (and a few others, such as target-size) out of a run by tag, so runs list them by id."""
    inject_axe(page)
    return page.evaluate("tags => axe.getRules(tags).map(rule => rule.ruleId)", tags)


def axe_violations(page, rules=None, context=None, tags=WCAG_TAGS):
    """Violations of axe-core's WCAG A and AA rules (every rule with one of `tags`, or only
    the given `rules`) on the page as it is now, in `context` (a CSS selector) or all of it.
    On a whole page, fails if axe left out any rule it was asked to run."""
    rules = list(rules) if rules else wcag_rules(page, tags)
    inject_axe(page)
    # Parts the page renders only near the screen (content-visibility: auto) are rendered
    # for the check, as a reader who scrolls there gets them: axe could not measure their
    # contrast otherwise. Through the CSSOM, which the CSP allows; undone afterwards.
    result = page.evaluate(
        """async ([context, rules]) => {
            const deferred = [...document.querySelectorAll("*")].filter(
                (el) => getComputedStyle(el).contentVisibility === "auto");
            deferred.forEach((el) => { el.style.contentVisibility = "visible"; });
            try {
                return await axe.run(context || document, {
                    runOnly: {type: "rule", values: rules}, resultTypes: ["violations"]});
            } finally {
                deferred.forEach((el) => { el.style.removeProperty("content-visibility"); });
            }
        }""",
        [context, rules],
    )
    ran = {
        rule["id"]
        for kind in ("violations", "passes", "incomplete", "inapplicable")
        for rule in result[kind]
    }
    if context is None:  # in part of a page axe leaves out page-wide rules (bypass…)
        assert ran == set(rules), f"axe did not run {sorted(set(rules) - ran)}"
    return result["violations"]


def summarize(violations, nodes=8):
    """Each violated rule with its WCAG tags and the first `nodes` elements, with axe's
    reason for each, one line per element."""
    lines = []
    for violation in violations:
        wcag = " ".join(tag for tag in violation["tags"] if tag.startswith("wcag"))
        lines.append(
            f"{violation['id']} ({violation['impact']}, {wcag}): {violation['help']}"
            f" - {len(violation['nodes'])} element(s) - {violation['helpUrl']}"
        )
        for node in violation["nodes"][:nodes]:
            reason = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {reason[:300]}")
            lines.append(f"      {node['html'][:200]}")
    return "\n".join(lines)


def run_vnu(paths):
    """Nu Html Checker messages for the given files, in one Java call."""
    require_tool(
        VNU_JAR.exists() and shutil.which("java"),
        "the Nu Html Checker needs Java 17+ and `npm ci` (vnu-jar)",
    )
    proc = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--exit-zero-always"]
        + [str(path) for path in paths],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)["messages"]


def write_report(name, data):
    """Numbers a check measured, kept beside the screenshots (artifacts/ is not committed)."""
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / name).write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
