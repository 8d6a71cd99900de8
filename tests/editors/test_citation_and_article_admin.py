"""Citations and articles are revised like sections: a note and a revision per save,
readers see the change at once, and a revert is a revision of its own."""

import re

import pytest

from articles.models import Article
from citations.models import Citation
from tests.editors.conftest import (
    ARTICLE_URL,
    form_data,
    form_errors,
    history_url,
    post,
    post_change,
)
from tests.support.content import SLUG

pytestmark = pytest.mark.django_db


def markers(html, key_number):
    """Classes of the inline markers that link to reference `key_number`."""
    return set(re.findall(rf'class="(cite-link [^"]+)" href="#ref-{key_number}"', html))


def test_a_citation_fix_reaches_every_marker_at_once(editor_client, editor, reader, imported):
    """Correcting a study design relabels the markers that cite it on the public page."""
    citation = Citation.objects.get(key="szigeti2021")
    number = imported.sections.get(key="overview").claims.get(citation=citation).number
    assert markers(reader.get(ARTICLE_URL).content.decode(), number) == {"cite-link level-2"}

    response = post_change(
        editor_client, citation, study_design="cohort", change_note="It was not randomised."
    )
    assert response.status_code == 302, form_errors(response)

    assert markers(reader.get(ARTICLE_URL).content.decode(), number) == {"cite-link level-3"}
    revision = citation.history.first()
    assert revision.history_user == editor
    assert revision.history_change_reason == "It was not randomised."
    assert revision.study_design == "cohort" and revision.version == 2


def test_a_citation_save_needs_a_change_note(editor_client, imported):
    citation = Citation.objects.get(key="szigeti2021")
    response = post_change(editor_client, citation, finding="Changed.", change_note="")
    assert response.status_code == 200
    assert "Say what you changed: the note is kept in the history." in form_errors(response)
    citation.refresh_from_db()
    assert citation.finding != "Changed." and citation.history.count() == 1


def test_an_article_save_records_a_revision_and_readers_see_it(
    editor_client, editor, reader, imported
):
    assert "A plainer summary." not in reader.get(ARTICLE_URL).content.decode()
    response = post_change(
        editor_client, imported, summary="A plainer summary.", change_note="Plainer."
    )
    assert response.status_code == 302, form_errors(response)
    assert "A plainer summary." in reader.get(ARTICLE_URL).content.decode()
    revision = imported.history.first()
    assert (revision.history_user, revision.history_change_reason) == (editor, "Plainer.")
    assert revision.summary == "A plainer summary."


@pytest.mark.parametrize(
    "model, lookup, field, value",
    [
        (Article, {"slug": SLUG}, "summary", "A summary to undo."),
        (Citation, {"key": "szigeti2021"}, "finding", "A finding to undo."),
    ],
)
def test_articles_and_citations_revert_too(
    editor_client, editor, imported, model, lookup, field, value
):
    obj = model.objects.get(**lookup)
    original = getattr(obj, field)
    first = obj.history.get()
    response = post_change(editor_client, obj, change_note="Try.", **{field: value})
    assert response.status_code == 302, form_errors(response)

    revert_url = history_url(obj) + f"{first.history_id}/"
    data = form_data(editor_client.get(revert_url))
    assert data[field] == original
    response = post(editor_client, revert_url, {**data, "change_note": "Undo.", "_save": "Revert"})
    assert response.status_code == 302, form_errors(response)

    obj.refresh_from_db()
    assert getattr(obj, field) == original
    assert obj.history.count() == 3
    assert obj.history.first().history_change_reason == "Undo."
    assert obj.history.first().history_user == editor
