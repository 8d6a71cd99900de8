"""Two editors open the same record and both save: the second save is refused, shows the
other's change and keeps the second editor's text (an optimistic version check)."""

import pytest

from citations.models import Citation
from tests.editors.conftest import (
    change_url,
    form_data,
    form_errors,
    logged_in,
    parse,
    post_change,
    text_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_editor(make_user):
    return make_user("otto", groups=["Editors"])


@pytest.fixture
def other_client(other_editor):
    return logged_in(other_editor)


def conflict_box(response):
    return next(
        (
            el
            for el in parse(response.content).iter("div")
            if el.get("class") == "revision-conflict"
        ),
        None,
    )


def assert_refused(response, theirs, mine, field, other_editor):
    """200, the conflict named with who saved first, their change as a diff, my text kept."""
    assert response.status_code == 200
    errors = form_errors(response)
    assert any(
        e.startswith(f"{other_editor.username} saved this") and "Nothing was saved" in e
        for e in errors
    ), errors
    box = conflict_box(response)
    assert box is not None, "the other editor's change is not shown"
    assert other_editor.username in text_of(box.find("h2"))
    assert theirs in " ".join(text_of(ins) for ins in box.iter("ins"))
    assert mine in form_data(response)[field]


def test_second_section_save_from_the_same_version_is_refused(
    editor_client, other_client, other_editor, overview
):
    mine_opened = editor_client.get(change_url(overview))
    theirs_opened = other_client.get(change_url(overview))
    original = overview.body_markdown
    theirs = original + "\n\nTheir sentence arrived first."
    mine = original + "\n\nMy sentence came second."

    first = post_change(
        other_client, overview, opened=theirs_opened, body_markdown=theirs, change_note="First."
    )
    assert first.status_code == 302
    second = post_change(
        editor_client, overview, opened=mine_opened, body_markdown=mine, change_note="Second."
    )

    assert_refused(
        second,
        "Their sentence arrived first.",
        "My sentence came second.",
        "body_markdown",
        other_editor,
    )
    overview.refresh_from_db()
    assert overview.body_markdown == theirs and overview.version == 2
    assert "My sentence" not in overview.body_html
    assert [r.history_change_reason for r in overview.history.all()[:2]] == [
        "First.",
        "Imported from content/",
    ]
    # Pressing Save again without confirming is refused again: their change stays.
    assert form_data(second)["opened_version"] == "1"
    assert form_data(second)["conflict_version"] == "2"
    again = post_change(editor_client, overview, opened=second, change_note="Second, again.")
    assert again.status_code == 200 and conflict_box(again) is not None
    overview.refresh_from_db()
    assert overview.body_markdown == theirs and overview.version == 2
    # Once they merge and confirm they did, the form carries the new version and saves.
    merged = theirs + "\n\nMy sentence came second."
    confirmed = post_change(
        editor_client,
        overview,
        opened=again,
        body_markdown=merged,
        change_note="Merged.",
        merged="on",
    )
    assert confirmed.status_code == 302, form_errors(confirmed)
    overview.refresh_from_db()
    assert overview.body_markdown == merged and overview.version == 3


def test_a_confirmation_for_an_older_version_does_not_pass_a_newer_change(
    editor_client, other_client, overview
):
    """ "I have merged" covers the version shown, not one saved after it."""
    mine_opened = editor_client.get(change_url(overview))
    assert post_change(other_client, overview, change_note="First.").status_code == 302
    refused = post_change(editor_client, overview, opened=mine_opened, change_note="Mine.")
    assert conflict_box(refused) is not None
    assert post_change(other_client, overview, change_note="Third.").status_code == 302
    again = post_change(editor_client, overview, opened=refused, change_note="Mine.", merged="on")
    assert again.status_code == 200 and conflict_box(again) is not None
    overview.refresh_from_db()
    assert overview.history.first().history_change_reason == "Third."


def test_a_preview_from_an_old_version_warns_of_the_conflict_too(
    editor_client, other_client, overview
):
    mine_opened = editor_client.get(change_url(overview))
    post_change(other_client, overview, body_markdown="Theirs.", change_note="First.")
    response = post_change(
        editor_client, overview, opened=mine_opened, body_markdown="Mine.", _preview="Preview"
    )
    assert response.status_code == 200
    assert conflict_box(response) is not None
    assert form_data(response)["body_markdown"] == "Mine."


def test_second_article_save_from_the_same_version_is_refused(
    editor_client, other_client, other_editor, imported
):
    mine_opened = editor_client.get(change_url(imported))
    theirs_opened = other_client.get(change_url(imported))
    first = post_change(
        other_client,
        imported,
        opened=theirs_opened,
        summary="Their summary.",
        change_note="Shorter summary.",
    )
    assert first.status_code == 302, form_errors(first)
    second = post_change(
        editor_client, imported, opened=mine_opened, summary="My summary.", change_note="Mine."
    )

    assert_refused(second, "Their summary.", "My summary.", "summary", other_editor)
    imported.refresh_from_db()
    assert imported.summary == "Their summary."
    assert imported.history.first().history_change_reason == "Shorter summary."


def test_second_citation_save_from_the_same_version_is_refused(
    editor_client, other_client, other_editor, imported
):
    citation = Citation.objects.get(key="szigeti2021")
    mine_opened = editor_client.get(change_url(citation))
    theirs_opened = other_client.get(change_url(citation))
    first = post_change(
        other_client,
        citation,
        opened=theirs_opened,
        finding="Their finding.",
        change_note="Fix the finding.",
    )
    assert first.status_code == 302, form_errors(first)
    second = post_change(
        editor_client, citation, opened=mine_opened, finding="My finding.", change_note="Mine."
    )

    assert_refused(second, "Their finding.", "My finding.", "finding", other_editor)
    citation.refresh_from_db()
    assert citation.finding == "Their finding." and citation.version == 2


def test_a_review_in_between_makes_an_article_save_a_conflict(
    editor_client, reviewer_client, reviewer, imported
):
    """A reviewer's mark is a revision too: an editor's older copy may not undo it."""
    mine_opened = editor_client.get(change_url(imported))
    review_url = f"/admin/articles/article/{imported.pk}/review/"
    data = {**form_data(reviewer_client.get(review_url)), "checked": "on"}
    response = reviewer_client.post(review_url, data)
    assert response.status_code == 302
    second = post_change(
        editor_client, imported, opened=mine_opened, summary="Mine.", change_note="Mine."
    )
    assert second.status_code == 200
    assert conflict_box(second) is not None
    imported.refresh_from_db()
    assert imported.last_review.reviewer.user == reviewer


def test_a_save_that_does_not_say_which_version_it_started_from_is_refused(
    editor_client, imported, overview
):
    response = post_change(
        editor_client, overview, body_markdown="Blind.", change_note="x", opened_version=None
    )
    assert response.status_code == 200
    assert any("did not say which version" in e for e in form_errors(response))
    overview.refresh_from_db()
    assert overview.body_markdown != "Blind." and overview.version == 1
