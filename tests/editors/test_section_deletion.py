"""Deleting a section: a change note, a revision in the history, the page re-rendered so
nothing points at the deleted text, a change since review, and undo from the history.
"What changed" follows the history: a reverted change is marked so."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Section
from articles.reviews import sign_review
from citations.models import ClaimCitation
from tests.editors.conftest import (
    ARTICLE_URL,
    form_data,
    form_errors,
    parse,
    post,
    post_change,
    text_of,
)

pytestmark = pytest.mark.django_db


def delete_url(section):
    return f"/admin/articles/section/{section.pk}/delete/"


def delete(client, section, note="The mechanism is out of scope.", **extra):
    return post(client, delete_url(section), {"post": "yes", "change_note": note, **extra})


def dangling_links(client):
    """Every in-page link on the article whose target does not exist."""
    tree = parse(client.get(ARTICLE_URL).content)
    ids = {e.get("id") for e in tree.iter() if e.get("id")}
    return [
        a.get("href")
        for a in tree.iter("a")
        if (a.get("href") or "").startswith("#") and a.get("href")[1:] not in ids
    ]


@pytest.fixture
def mechanism(imported):
    return imported.sections.get(key="mechanism")


def test_deleting_a_section_needs_a_change_note(editor_client, mechanism):
    page = editor_client.get(delete_url(mechanism))
    assert 'name="change_note"' in page.content.decode()
    response = delete(editor_client, mechanism, note="  ")
    assert response.status_code == 200
    assert "Say what you deleted and why" in response.content.decode()
    assert Section.objects.filter(pk=mechanism.pk).exists()


def test_a_deletion_is_recorded_rerendered_and_a_change_since_review(
    editor_client, reviewer, reader, imported, mechanism
):
    sign_review(imported, reviewer.profile, timezone.localdate() + datetime.timedelta(90))
    claims_before = imported.evidence["claims"] if imported.evidence else None
    imported.refresh_from_db()
    claims_before = imported.evidence["claims"]
    assert dangling_links(reader) == []

    response = delete(editor_client, mechanism, public_change="on")
    assert response.status_code == 302, form_errors(response)
    assert not Section.objects.filter(pk=mechanism.pk).exists()
    record = Section.history.filter(id=mechanism.pk).first()
    assert record.history_type == "-"
    assert record.history_change_reason == "The mechanism is out of scope."
    assert record.history_user.username == "edith"

    imported.refresh_from_db()
    assert imported.evidence["claims"] < claims_before
    assert not ClaimCitation.objects.filter(section_id=mechanism.pk).exists()
    page = reader.get(ARTICLE_URL).content.decode()
    assert "mechanism" not in [e for e in page.split('"') if e.startswith("#mechanism")]
    assert dangling_links(reader) == []
    assert "Updated since its last medical review" in page
    assert "The mechanism is out of scope." in page  # listed under "What changed"

    # The article's admin page lists it, linked to its history.
    change = editor_client.get(f"/admin/articles/article/{imported.pk}/change/")
    assert f"/admin/articles/section/{mechanism.pk}/history/" in change.content.decode()


def test_a_deleted_section_is_restored_from_its_history(editor_client, reader, mechanism):
    delete(editor_client, mechanism, public_change="on")
    record = Section.history.filter(id=mechanism.pk, history_type="~").first() or (
        Section.history.filter(id=mechanism.pk).exclude(history_type="-").first()
    )
    history = editor_client.get(f"/admin/articles/section/{mechanism.pk}/history/")
    assert history.status_code == 200
    revert_url = f"/admin/articles/section/{mechanism.pk}/history/{record.history_id}/"
    data = {**form_data(editor_client.get(revert_url)), "change_note": "Back after all."}
    response = post(editor_client, revert_url, {**data, "_save": "Revert"})
    assert response.status_code == 302, form_errors(response)

    restored = Section.objects.get(pk=mechanism.pk)
    assert restored.body_markdown == mechanism.body_markdown
    page = parse(reader.get(ARTICLE_URL).content)
    assert page.find(".//section[@id='mechanism']") is not None
    assert dangling_links(reader) == []
    changes = page.find(".//ul[@class='changes']")
    [deleted] = [li for li in changes if "The mechanism is out of scope." in text_of(li)]
    assert deleted.get("class") == "reverted" and "undone on" in text_of(deleted)


def test_a_reverted_edit_is_marked_in_what_changed(editor_client, reader, imported):
    overview = imported.sections.get(key="overview")
    original = overview.body_markdown
    response = post_change(
        editor_client,
        overview,
        body_markdown=original + "\n\nA sentence we later took out again.",
        change_note="Added a sentence.",
        public_change="on",
    )
    assert response.status_code == 302, form_errors(response)
    import_revision = overview.history.last()
    revert_url = f"/admin/articles/section/{overview.pk}/history/{import_revision.history_id}/"
    data = {**form_data(editor_client.get(revert_url)), "change_note": "Took it out."}
    assert post(editor_client, revert_url, {**data, "_save": "Revert"}).status_code == 302

    changes = parse(reader.get(ARTICLE_URL).content).find(".//ul[@class='changes']")
    [item] = [li for li in changes if "Added a sentence." in text_of(li)]
    assert item.get("class") == "reverted"
    assert item.find("del") is not None


def test_the_bulk_delete_action_is_not_offered(editor_client, imported):
    html = editor_client.get("/admin/articles/section/").content.decode()
    assert "delete_selected" not in html
