"""Editing a section in the admin: preview, change note, history, and what readers see."""

import pytest

from articles.models import Section
from citations.models import ClaimCitation
from tests.editors.conftest import (
    ARTICLE_URL,
    change_url,
    form_data,
    form_errors,
    parse,
    post_change,
    snapshot,
    text_of,
)

pytestmark = pytest.mark.django_db

NEW_SENTENCE = "Editors added this sentence on a quiet afternoon."


def test_change_form_is_a_markdown_editor_with_the_citation_keys_beside_it(editor_client, overview):
    """The body is a large monospace textarea; every citation key is listed to pick from."""
    response = editor_client.get(change_url(overview))
    html = response.content.decode()
    assert 'class="markdown-editor"' in html
    assert 'id="citation-key-list"' in html
    assert "[@szigeti2021]" in html and "[@carhartharris2012]" in html
    assert 'name="_preview"' in html
    assert 'name="change_note"' in html and 'name="opened_version"' in html


def test_preview_shows_the_reader_html_and_saves_nothing(editor_client, imported, overview):
    """Preview renders the edited text as readers will see it (citations resolved into
    numbered, labelled links) and leaves the database as it was."""
    before = snapshot(imported)
    body = overview.body_markdown + f"\n\n{NEW_SENTENCE} [@szigeti2021]"
    response = post_change(editor_client, overview, body_markdown=body, _preview="Preview")

    assert response.status_code == 200
    preview = next(
        div for div in parse(response.content).iter("div") if div.get("class") == "section-preview"
    )
    preview_html = response.content.decode()
    assert NEW_SENTENCE in text_of(preview)
    assert 'class="cite-link level-2"' in preview_html  # szigeti2021 is an RCT
    assert "[@szigeti2021]" not in text_of(preview)
    # The editor's text is still in the form, and the preview is not an error.
    assert NEW_SENTENCE in form_data(response)["body_markdown"]
    assert form_errors(response) == []
    assert "Please correct the error" not in preview_html
    assert snapshot(imported) == before


def test_preview_does_not_need_a_change_note(editor_client, overview):
    response = post_change(
        editor_client, overview, body_markdown="Short text.", change_note="", _preview="Preview"
    )
    assert response.status_code == 200
    assert "Preview — as readers will see it" in response.content.decode()
    assert form_errors(response) == []


def test_save_requires_a_change_note(editor_client, imported, overview):
    before = snapshot(imported)
    response = post_change(editor_client, overview, body_markdown="New text.", change_note="")
    assert response.status_code == 200
    assert "Say what you changed: the note is kept in the history." in form_errors(response)
    assert snapshot(imported) == before


def test_a_save_records_one_revision_with_who_when_note_and_text(editor_client, editor, overview):
    count = overview.history.count()
    body = overview.body_markdown + f"\n\n{NEW_SENTENCE}"
    response = post_change(
        editor_client, overview, body_markdown=body, change_note="Added a plain sentence."
    )
    assert response.status_code == 302

    assert overview.history.count() == count + 1
    revision = overview.history.first()
    assert revision.history_user == editor
    assert revision.history_change_reason == "Added a plain sentence."
    assert revision.body_markdown == body
    assert revision.history_type == "~"
    assert revision.version == 2
    overview.refresh_from_db()
    assert overview.body_markdown == body and overview.version == 2
    assert NEW_SENTENCE in overview.body_html


def test_readers_see_the_change_at_once(editor_client, reader, overview):
    """The page cache is retired by the save: a reader's next request shows the edit."""
    first = reader.get(ARTICLE_URL)
    assert first.status_code == 200 and NEW_SENTENCE not in first.content.decode()
    # Warm: the second request is served from the page cache.
    assert NEW_SENTENCE not in reader.get(ARTICLE_URL).content.decode()

    body = overview.body_markdown + f"\n\n{NEW_SENTENCE}"
    response = post_change(editor_client, overview, body_markdown=body, change_note="Clarify.")
    assert response.status_code == 302

    assert NEW_SENTENCE in reader.get(ARTICLE_URL).content.decode()


def test_a_new_citation_adds_a_claim_row(editor_client, overview):
    claims = ClaimCitation.objects.filter(section=overview)
    before = claims.count()
    assert not claims.filter(citation__key="becker2022").exists()

    body = overview.body_markdown + f"\n\n{NEW_SENTENCE} [@becker2022]"
    response = post_change(editor_client, overview, body_markdown=body, change_note="Cite.")
    assert response.status_code == 302

    assert claims.count() == before + 1
    claim = claims.get(citation__key="becker2022")
    assert NEW_SENTENCE in claim.sentence


def test_readability_shows_words_and_grade(editor_client, overview):
    Section.objects.filter(pk=overview.pk).update(body_html="<p>The cat sat. The dog ran.</p>")
    html = editor_client.get(change_url(overview)).content.decode()
    assert "6 words · reading grade" in html
    assert "above grade 9" not in html


def test_readability_hints_above_grade_nine(editor_client, overview):
    """A long, dense sentence gets the hint to write shorter sentences and plainer words."""
    long_sentence = (
        "Notwithstanding considerable methodological heterogeneity, contemporary "
        "investigations concerning psychedelic microdosing interventions have "
        "demonstrated inconsistent physiological, psychological and neurocognitive "
        "consequences, necessitating comprehensive, rigorously controlled, "
        "adequately powered longitudinal evaluation before therapeutic recommendations "
        "regarding depersonalization and derealization disorders could responsibly be "
        "formulated by clinicians."
    )
    response = post_change(
        editor_client, overview, body_markdown=long_sentence, change_note="Dense text."
    )
    assert response.status_code == 302
    html = editor_client.get(change_url(overview)).content.decode()
    assert f"{len(long_sentence.split())} words · reading grade" in html
    assert "above grade 9" in html

    # The preview of the same text carries the same hint before anything is saved.
    response = post_change(editor_client, overview, body_markdown=long_sentence, _preview="Preview")
    assert "above grade 9" in response.content.decode()


def test_section_list_shows_word_count_and_reading_grade(editor_client, overview):
    html = editor_client.get("/admin/articles/section/").content.decode()
    assert "Reading grade" in html and "Word count" in html


def test_a_change_note_longer_than_the_history_keeps_is_a_form_error(
    editor_client, imported, overview
):
    """The history's note column holds 100 characters: PostgreSQL refuses more (a 500
    before), SQLite would have kept them. The editor is told, and the text is kept."""
    before = snapshot(imported)
    body = overview.body_markdown + f"\n\n{NEW_SENTENCE}"
    response = post_change(editor_client, overview, body_markdown=body, change_note="n" * 101)
    assert response.status_code == 200
    assert any("at most 100 characters" in e for e in form_errors(response))
    assert form_data(response)["body_markdown"] == body
    assert 'maxlength="100"' in response.content.decode()
    assert snapshot(imported) == before

    response = post_change(editor_client, overview, body_markdown=body, change_note="n" * 100)
    assert response.status_code == 302
    assert overview.history.first().history_change_reason == "n" * 100
