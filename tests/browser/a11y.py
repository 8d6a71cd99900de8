"""Shared pieces of the reader-page checks: the real article in a live server, axe-core,
the Nu Html Checker, and a console watcher that fails on CSP violations.

Each module defines its own small `reader_site` fixture with load_reader_site().
"""

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

from django.core.management import call_command

from tests.conftest import ROOT
from tests.support.skips import require_tool

ARTIFACTS = ROOT / "artifacts"
ARTICLE_SLUG = "microdosing-derealization"
ARTICLE_PATH = f"/articles/{ARTICLE_SLUG}/"
CITATION_PATH = "/citations/szigeti2021/"
MISSING_PATH = "/articles/no-such-article/"
PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}

# The WCAG 2.0, 2.1 and 2.2 level A and AA rules of axe-core (the copy inside the
# axe-playwright-python wheel: no network at run time).
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


def load_reader_site(settings, live=True):
    """For a module's `reader_site` fixture, given pytest-django's `settings`: the real
    article (content/ imported as `make run` does), with the comment form's "too fast"
    rule off (a script types faster than any reader); `live`: static files as the live
    server can serve them."""
    settings.COMMENT_MIN_SECONDS = 0
    if live:
        serve_unhashed_static(settings)
    call_command("import_content", stdout=io.StringIO(), stderr=io.StringIO())
    ARTIFACTS.mkdir(exist_ok=True)
    from articles.models import Article

    return Article.objects.get(slug=ARTICLE_SLUG)


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


def axe_violations(page, rules=None):
    """Violations of axe-core's WCAG 2.2 A and AA rules (or only the given `rules`) on the
    page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    only = (
        {"type": "rule", "values": list(rules)} if rules else {"type": "tag", "values": WCAG_TAGS}
    )
    results = Axe().run(page, options={"runOnly": only, "resultTypes": ["violations"]})
    return results.response["violations"]


def summarize(violations):
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in violations
    )


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
