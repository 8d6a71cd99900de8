"""Deep nesting an editor can type in the admin: a form error, never a 500.

json.loads and Python-Markdown read nesting by recursion, and thousands of levels
exhaust Python's stack. Both are limited before parsing; a RecursionError that still
happens (emphasis inside emphasis) is a form error too.
"""

import pytest

from citations.models import Citation
from tests.support.admin import form_data, form_errors, post

from . import tally
from .checks import field_value
from .conftest import ADMIN

pytestmark = pytest.mark.django_db

AUTHORS_FORMAT = 'Write authors as a list like [{"family": "Szigeti", "given": "Balázs"}].'
DEEP_AUTHORS = {
    "lists": "[" * 20_000,
    "objects": '{"a": ' * 5_000,
    "inside a name": '[{"family": ' + "[" * 5_000 + "]" * 5_000 + "}]",
    "nine levels": "[" * 9 + "]" * 9,
}


@pytest.mark.parametrize("name", DEEP_AUTHORS)
def test_deeply_nested_citation_authors_are_a_form_error(editor_client, published, name):
    authors = DEEP_AUTHORS[name]
    add = ADMIN + "citations/citation/add/"
    data = {**form_data(editor_client.get(add)), "key": "deep-author", "title": "T"}
    data.update({"authors": authors, "study_design": "rct", "verification": "verified"})
    response = post(editor_client, add, {**data, "year": "2020", "change_note": "Added."})
    tally.sent("admin: citation authors", authors)

    assert response.status_code == 200
    assert form_errors(response) == [AUTHORS_FORMAT]
    assert field_value(response.content.decode(), "authors") == authors  # kept as typed
    assert not Citation.objects.filter(key="deep-author").exists()


DEEP_MARKDOWN = {
    "lists": "\n".join("\t" * level + "- item" for level in range(400)),
    "list markers on one line": "- " * 1_000 + "item",
    "quotes": "> " * 5_000 + "deep",
    "quotes and lists": "\n".join("> " * level + "- item" for level in range(60)),
    "emphasis": "*" * 3_000 + "deep" + "*" * 3_000,
}


@pytest.mark.parametrize("preview", [True, False], ids=["preview", "save"])
@pytest.mark.parametrize("name", DEEP_MARKDOWN)
def test_deeply_nested_markdown_is_a_form_error(editor_client, published, name, preview):
    text = DEEP_MARKDOWN[name]
    overview = published.sections.get(key="overview")
    url = f"{ADMIN}articles/section/{overview.pk}/change/"
    data = {**form_data(editor_client.get(url)), "body_markdown": text}
    data.update({"change_note": "Nested.", **({"_preview": "Preview"} if preview else {})})
    response = post(editor_client, url, data)
    tally.sent("admin: section Markdown", text)

    assert response.status_code == 200
    errors = form_errors(response)
    assert any("nested more than 20 levels deep" in e for e in errors), errors
    overview.refresh_from_db()
    assert overview.version == 1
