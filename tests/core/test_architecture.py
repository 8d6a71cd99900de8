"""The apps depend one way: comments → articles → citations → core, and core knows no app.
Templates live in templates/, never in Python strings."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The apps each app may import (besides Django and libraries). people sits below articles;
# certainty below articles and above citations.
MAY_IMPORT = {
    "comments": {"articles", "certainty", "people", "citations", "core"},
    "articles": {"certainty", "people", "citations", "core"},
    "certainty": {"citations", "core"},
    "people": {"core"},
    "citations": {"core"},
    "core": set(),
}
APPS = sorted(path.parent.name for path in ROOT.glob("*/apps.py"))


def modules(app):
    return sorted((ROOT / app).rglob("*.py"))


def imported_apps(path):
    """The project apps a module imports, at any depth (lazy imports count too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & set(MAY_IMPORT)
    return found


def test_every_app_has_a_place():
    assert set(APPS) <= set(MAY_IMPORT), "add the new app to MAY_IMPORT"


@pytest.mark.parametrize("app", APPS)
def test_imports_run_one_way(app):
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_apps(path) - MAY_IMPORT[app] - {app})
        for path in modules(app)
    }
    assert {path: apps for path, apps in wrong.items() if apps} == {}


def test_core_names_no_url_of_an_app():
    apps = "|".join(set(MAY_IMPORT) - {"core"})
    url_name = re.compile(rf"""["']({apps}):""")
    named = [
        str(path.relative_to(ROOT))
        for path in [*modules("core"), *(ROOT / "templates" / "core").rglob("*")]
        if path.is_file() and url_name.search(path.read_text())
    ]
    assert named == []


def template_strings(path):
    """String constants, docstrings aside, that look like Django templates ({% … %} or
    {{ … }})."""
    tree = ast.parse(path.read_text(), str(path))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return [
        node.value[:60]
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and re.search(r"\{%-?\s*\w+|\{\{\s*\w+", node.value)
    ]


def test_no_template_is_written_as_a_python_string():
    found = {
        str(path.relative_to(ROOT)): template_strings(path)
        for app in [*APPS, "config"]
        for path in modules(app)
    }
    assert {path: strings for path, strings in found.items() if strings} == {}
