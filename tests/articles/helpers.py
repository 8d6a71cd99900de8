"""Shared by tests/articles and tests/citations: the real content imported, HTML parsing."""

import io
import re
import shutil

import pytest
from django.core.management import call_command

from tests.conftest import ROOT
from tests.support.content import ARTICLE_URL, SLUG  # noqa: F401
from tests.support.html import parse_html, text_of  # noqa: F401

CONTENT = ROOT / "content"


def run(command, *args, **options):
    """call_command with its output captured: returns stdout."""
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def has_class(element, name):
    return name in (element.get("class") or "").split()


def by_id(tree):
    """{id: element}; fails if an id is used twice (links would go to the wrong place)."""
    found = {}
    for element in tree.iter():
        if element.get("id") is not None:
            assert element.get("id") not in found, f"duplicate id {element.get('id')!r}"
            found[element.get("id")] = element
    return found


def plain_text(html):
    """Rendered HTML as a reader hears it without the citation markers: plain text."""
    if isinstance(html, bytes):
        html = html.decode()
    html = re.sub(r'<sup class="cite">.*?</sup>', "", html, flags=re.S)
    text = " ".join("".join(parse_html(html).itertext()).split())
    return re.sub(r"\s+([.,;:!?])", r"\1", text)


def copy_content(tmp_path):
    """A scratch copy of content/ for tests that break it on purpose."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


@pytest.fixture
def article_page(client, imported):
    """The real article's page for an anonymous reader, parsed."""
    response = client.get(ARTICLE_URL)
    assert response.status_code == 200
    return parse_html(response.content)
