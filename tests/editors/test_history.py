"""History: the list of revisions, a diff between any two, revert (itself a revision),
and the public "What changed" list."""

import re

import pytest

from tests.editors.conftest import (
    ARTICLE_URL,
    form_data,
    form_errors,
    history_url,
    parse,
    post,
    post_change,
    text_of,
)

pytestmark = pytest.mark.django_db

ADDED = "A sentence that a later revert takes out again."


def edit(client, section, body, note, **extra):
    response = post_change(client, section, body_markdown=body, change_note=note, **extra)
    assert response.status_code == 302, form_errors(response)
    return response


def test_history_lists_each_save_with_who_note_and_a_checkbox_to_compare(
    editor_client, editor, overview
):
    edit(editor_client, overview, overview.body_markdown + f"\n\n{ADDED}", "Add a sentence.")
    response = editor_client.get(history_url(overview))
    assert response.status_code == 200
    rows = list(parse(response.content).find(".//table[@id='change-history']/tbody"))
    assert len(rows) == 2
    newest = [text_of(cell) for cell in rows[0]]
    assert newest[1].endswith("version 2") and newest[3] == "edith"
    assert newest[4] == "Add a sentence."
    assert [text_of(cell) for cell in rows[1]][4] == "Imported from content/"
    boxes = [row.find(".//input[@type='checkbox']") for row in rows]
    assert {box.get("value") for box in boxes} == {
        str(r.history_id) for r in overview.history.all()
    }


def test_compare_shows_deletions_and_insertions_between_two_revisions(editor_client, overview):
    original = overview.body_markdown
    edit(editor_client, overview, original.replace("foggy", "misty", 1), "Plainer.")
    edit(editor_client, overview, original.replace("foggy", "hazy", 1), "Plainer again.")
    oldest, newest = overview.history.last(), overview.history.first()

    url = history_url(overview) + "compare/"
    response = editor_client.get(url, {"revision": [newest.history_id, oldest.history_id]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<del>foggy</del>" in html and "<ins>hazy</ins>" in html
    assert "misty" not in html  # the middle revision is not part of this comparison
    # The older of the two is always on the left, whichever order the boxes were ticked.
    tree = parse(response.content)
    version_row = [text_of(td) for td in tree.find(".//table[@class='revision-pair']/tbody/tr")]
    assert version_row == ["Version", "1", "3"]
    assert "Revert to the older revision" in html


def test_compare_escapes_the_text(editor_client, overview):
    """Diffs show Markdown source as text: markup in it is never interpreted."""
    edit(editor_client, overview, overview.body_markdown + "\n\nFive < six & *stars*.", "x")
    html = editor_client.get(history_url(overview) + "compare/").content.decode()
    assert "<ins>\n\nFive &lt; six &amp; *stars*.</ins>" in html


def test_revert_makes_a_new_revision_and_readers_see_the_old_text(
    editor_client, editor, reader, overview
):
    original = overview.body_markdown
    imported = overview.history.get()
    edit(editor_client, overview, original + f"\n\n{ADDED}", "Add a sentence.")
    assert ADDED in reader.get(ARTICLE_URL).content.decode()

    revert_url = history_url(overview) + f"{imported.history_id}/"
    opened = editor_client.get(revert_url)
    assert opened.status_code == 200
    data = form_data(opened)
    assert data["body_markdown"] == original
    assert data["opened_version"] == "2"
    response = post(
        editor_client,
        revert_url,
        {**data, "change_note": "Back to the imported text.", "_save": "Revert"},
    )
    assert response.status_code == 302, form_errors(response)

    overview.refresh_from_db()
    assert overview.body_markdown == original and overview.version == 3
    assert overview.history.count() == 3
    revert = overview.history.first()
    assert revert.history_user == editor
    assert revert.history_change_reason == "Back to the imported text."
    assert revert.body_markdown == original and revert.history_type == "~"
    assert ADDED not in overview.body_html
    assert ADDED not in reader.get(ARTICLE_URL).content.decode()


def test_revert_needs_a_change_note(editor_client, overview):
    edit(editor_client, overview, overview.body_markdown + f"\n\n{ADDED}", "Add a sentence.")
    revert_url = history_url(overview) + f"{overview.history.last().history_id}/"
    data = form_data(editor_client.get(revert_url))
    response = post(editor_client, revert_url, {**data, "change_note": "", "_save": "Revert"})
    assert response.status_code == 200
    overview.refresh_from_db()
    assert ADDED in overview.body_markdown


def test_revert_from_an_outdated_history_page_is_a_conflict(editor_client, make_user, overview):
    """Someone saved after the revert form was opened: the revert would undo their work."""
    from tests.editors.conftest import logged_in

    other = logged_in(make_user("otto", groups=["Editors"]))
    revert_url = history_url(overview) + f"{overview.history.get().history_id}/"
    opened = editor_client.get(revert_url)
    edit(other, overview, overview.body_markdown + f"\n\n{ADDED}", "Theirs.")
    response = post(
        editor_client,
        revert_url,
        {**form_data(opened), "change_note": "Revert.", "_save": "Revert"},
    )
    assert response.status_code == 200
    assert any("otto saved this section after you opened it" in e for e in form_errors(response))
    overview.refresh_from_db()
    assert ADDED in overview.body_markdown


def test_what_changed_lists_public_notes_only(editor_client, reader, overview):
    assert reader.get(ARTICLE_URL).status_code == 200  # warm the page cache
    edit(
        editor_client,
        overview,
        overview.body_markdown + "\n\nOne.",
        "We added what the newest trial found.",
        public_change="on",
    )
    edit(editor_client, overview, overview.body_markdown + "\n\nTwo.", "Fixed a typo.")

    response = reader.get(ARTICLE_URL)
    changes = parse(response.content).find(".//section[@id='changes']")
    assert changes is not None, "no “What changed” section"
    items = [text_of(li) for li in changes.iter("li")]
    assert len(items) == 1
    assert items[0].endswith(": We added what the newest trial found.")
    assert "Fixed a typo." not in response.content.decode()
    assert overview.history.first().public_change is False
    assert overview.history.all()[1].public_change is True


def test_compare_folds_long_unchanged_stretches(editor_client, overview):
    """A sentence added at the end shows with a few lines before it, not the whole text."""
    first_line = overview.body_markdown.split("\n")[0]
    edit(editor_client, overview, overview.body_markdown + f"\n\n{ADDED}", "Add a sentence.")
    response = editor_client.get(history_url(overview) + "compare/")
    diff = parse(response.content).find(".//div[@class='diff']")
    assert f"{ADDED}" in " ".join(text_of(ins) for ins in diff.iter("ins"))
    skip = diff.find(".//span[@class='diff-skip']")
    assert skip is not None and re.fullmatch(r"… \d+ unchanged lines …", text_of(skip))
    assert first_line[:60] not in text_of(diff)


def test_revert_page_names_the_real_model(editor_client, overview):
    revert_url = history_url(overview) + f"{overview.history.get().history_id}/"
    breadcrumbs = parse(editor_client.get(revert_url).content).find(".//div[@class='breadcrumbs']")
    assert "Sections" in text_of(breadcrumbs) and "Historical" not in text_of(breadcrumbs)


def test_compare_with_one_box_ticked_asks_for_two(editor_client, overview):
    revision = overview.history.get()
    response = editor_client.get(
        history_url(overview) + "compare/", {"revision": revision.history_id}, follow=True
    )
    assert response.redirect_chain == [(history_url(overview), 302)]
    assert "Tick exactly two revisions to compare them." in response.content.decode()
