"""Each group has exactly its powers in the admin: Editors edit articles, sections and
citations but do not moderate; Reviewers review but do not edit; Moderators do neither."""

import pytest

from citations.models import Citation
from tests.editors.conftest import change_url, form_data, history_url, post_change

pytestmark = pytest.mark.django_db


@pytest.fixture
def citation(imported):
    return Citation.objects.get(key="szigeti2021")


def test_editors_change_sections_articles_and_citations(editor_client, imported, citation):
    section = imported.sections.get(key="faq")
    for obj, field, value in [
        (section, "title", "Questions people ask"),
        (imported, "summary", "A new plain summary."),
        (citation, "finding", "No difference from placebo."),
    ]:
        response = post_change(editor_client, obj, change_note="An edit.", **{field: value})
        assert response.status_code == 302, (obj, response.status_code)
        obj.refresh_from_db()
        assert getattr(obj, field) == value


def test_editors_cannot_moderate_comments(editor_client, editor):
    assert editor_client.get("/admin/comments/comment/").status_code == 403
    response = editor_client.post(
        "/admin/comments/comment/", {"action": "approve", "_selected_action": ["1"]}
    )
    assert response.status_code == 403
    assert not editor.has_perm("comments.moderate_comment")
    assert not editor.has_perm("comments.change_comment")


@pytest.mark.parametrize("role", ["reviewer_client", "moderator_client"])
def test_reviewers_and_moderators_read_but_cannot_change_sections(request, role, imported):
    client = request.getfixturevalue(role)
    section = imported.sections.get(key="overview")
    opened = client.get(change_url(section))
    assert opened.status_code == 200  # read-only view
    html = opened.content.decode()
    assert 'name="_save"' not in html and 'name="_preview"' not in html

    data = {
        "key": "overview",
        "title": "Overview",
        "order": "0",
        "body_markdown": "Overwritten.",
        "change_note": "Not allowed.",
        "opened_version": str(section.version),
    }
    assert client.post(change_url(section), data).status_code == 403
    assert client.post(change_url(section), {**data, "_preview": "1"}).status_code == 403
    section.refresh_from_db()
    assert section.body_markdown != "Overwritten." and section.version == 1


@pytest.mark.parametrize("role", ["reviewer_client", "moderator_client"])
def test_reviewers_and_moderators_cannot_change_articles_or_citations(
    request, role, imported, citation
):
    client = request.getfixturevalue(role)
    response = client.post(
        change_url(imported),
        {"title": "Hijacked", "slug": imported.slug, "summary": "x", "status": "published"},
    )
    assert response.status_code == 403
    response = client.post(change_url(citation), {"finding": "Hijacked", "change_note": "x"})
    assert response.status_code == 403
    imported.refresh_from_db()
    citation.refresh_from_db()
    assert imported.title != "Hijacked" and citation.finding != "Hijacked"
    assert client.get("/admin/articles/section/add/").status_code == 403


@pytest.mark.parametrize("role", ["reviewer_client", "moderator_client"])
def test_reviewers_and_moderators_cannot_revert(request, role, editor_client, imported):
    """The revert form saves: it needs the change permission, not only the view one."""
    client = request.getfixturevalue(role)
    section = imported.sections.get(key="overview")
    import_revision = section.history.get()
    post_change(editor_client, section, body_markdown="Edited.", change_note="Edit.")

    revert_url = history_url(section) + f"{import_revision.history_id}/"
    opened = client.get(revert_url)
    assert opened.status_code == 200
    assert 'name="_save"' not in opened.content.decode()
    data = {**form_data(editor_client.get(revert_url)), "change_note": "Sneaky revert."}
    response = client.post(revert_url, {**data, "_save": "Revert"})
    assert response.status_code == 403
    section.refresh_from_db()
    assert section.body_markdown == "Edited." and section.history.count() == 2


@pytest.mark.parametrize("role", ["reviewer_client", "moderator_client"])
def test_reviewers_and_moderators_may_read_history_and_diffs(request, role, imported):
    client = request.getfixturevalue(role)
    section = imported.sections.get(key="overview")
    assert client.get(history_url(section)).status_code == 200
    response = client.get(history_url(section) + "compare/")
    assert response.status_code == 200
    assert "Revert to the older revision" not in response.content.decode()


def test_moderators_keep_comment_moderation(moderator_client):
    assert moderator_client.get("/admin/comments/comment/").status_code == 200


def test_people_outside_the_groups_see_nothing(make_user, imported):
    from tests.editors.conftest import logged_in

    client = logged_in(make_user("nobody"))
    section = imported.sections.get(key="overview")
    assert client.get(change_url(section)).status_code == 403
    assert client.get(history_url(section)).status_code == 403
    assert client.get(history_url(section) + "compare/").status_code == 403
    assert client.get(f"/admin/articles/article/{imported.pk}/review/").status_code == 403


def test_partly_verified_citations_are_flagged_to_editors(editor_client, imported):
    Citation.objects.filter(key="szigeti2021").update(verification="partial")
    html = editor_client.get("/admin/citations/citation/").content.decode()
    assert '<span class="review-due">Partly verified — confirm</span>' in html
