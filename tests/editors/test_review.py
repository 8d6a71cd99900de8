"""Medical review: reviewers mark an article reviewed; readers are told when the text
changed since; the admin lists articles whose review is due."""

import datetime
import io
import re
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Review
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

BANNER = "Updated since its last medical review on"


def banner(reader):
    """The review banner on the public article page, as text (None when absent)."""
    response = reader.get(ARTICLE_URL)
    assert response.status_code == 200
    found = [p for p in parse(response.content).iter("p") if p.get("class") == "review-banner"]
    return text_of(found[0]) if found else None


def review_url(imported):
    return f"/admin/articles/article/{imported.pk}/review/"


def review(client, imported, **changes):
    """Sign the review as a reviewer would: tick the confirmation, keep the defaults."""
    data = {**form_data(client.get(review_url(imported))), "checked": "on", **changes}
    return post(client, review_url(imported), {k: v for k, v in data.items() if v is not None})


def edit_overview(client, imported, sentence="A sentence added after the review."):
    overview = imported.sections.get(key="overview")
    response = post_change(
        client, overview, body_markdown=overview.body_markdown + f"\n\n{sentence}", change_note="x"
    )
    assert response.status_code == 302, form_errors(response)


def test_a_reviewer_signs_the_review_as_their_profile(reviewer_client, reviewer, imported):
    page = reviewer_client.get(review_url(imported))
    assert page.status_code == 200
    status = next(p for p in parse(page.content).iter("p") if p.get("class") == "review-status")
    assert text_of(status) == "Not medically reviewed yet."
    initial = form_data(page)
    today = timezone.localdate()
    # Nothing to type about who or when: the signer's profile, now. No login name. (The
    # hidden "shown" says which changes the page showed: the signature covers those.)
    assert set(initial) == {"csrfmiddlewaretoken", "next_review_due", "note", "shown"}
    # (As a word: the article's text now shows on the page, and "samaritans" has "rita".)
    assert not re.search(r"\brita\b", page.content.decode())
    assert "You sign as Dr Rita Okafor, Consultant psychiatrist" in text_of(parse(page.content))
    # ISO dates, or <input type="date"> would show an empty field.
    assert initial["next_review_due"] == (today + datetime.timedelta(days=182)).isoformat()
    history = imported.history.count()

    due = today + datetime.timedelta(days=180)
    response = review(
        reviewer_client, imported, next_review_due=due.isoformat(), note="Checked the RCTs."
    )
    assert response.status_code == 302
    assert response.url == f"/admin/articles/article/{imported.pk}/change/"

    imported.refresh_from_db()
    signed = imported.last_review
    assert signed.reviewer.user == reviewer and signed.next_review_due == due
    assert signed.signed_at.date() == today and signed.note == "Checked the RCTs."
    assert imported.history.count() == history + 1
    revision = imported.history.first()
    assert revision.history_user == reviewer
    assert (
        revision.history_change_reason == "Medically reviewed by Dr Rita Okafor: Checked the RCTs."
    )


def test_signing_needs_the_confirmation(reviewer_client, imported):
    response = review(reviewer_client, imported, checked=None)
    assert response.status_code == 200
    assert "Tick this to sign: a review is your confirmation." in form_errors(response)
    imported.refresh_from_db()
    assert imported.last_review is None


def test_a_reviewer_without_a_profile_is_asked_to_write_one(make_user, imported):
    from tests.editors.conftest import logged_in

    client = logged_in(make_user("noprofile", groups=["Reviewers"]))
    page = client.get(review_url(imported))
    assert "write your profile" in page.content.decode()
    response = post(
        client, review_url(imported), {"checked": "on", "next_review_due": "2099-01-01"}
    )
    assert response.status_code == 200
    imported.refresh_from_db()
    assert imported.last_review is None


def test_the_next_review_must_come_after_today(reviewer_client, imported):
    today = timezone.localdate()
    response = review(reviewer_client, imported, next_review_due=today.isoformat())
    assert response.status_code == 200
    assert "The next review must come after today." in form_errors(response)
    imported.refresh_from_db()
    assert imported.last_review is None


@pytest.mark.parametrize("role", ["editor_client", "moderator_client"])
def test_only_reviewers_may_sign_a_review(request, role, imported):
    """Editors and moderators may read what changed since the review, not sign it."""
    client = request.getfixturevalue(role)
    page = client.get(review_url(imported))
    assert page.status_code == 200
    assert not [i for i in parse(page.content).iter("input") if i.get("name") == "checked"]
    response = client.post(review_url(imported), {"checked": "on", "next_review_due": "2099-01-01"})
    assert response.status_code == 403
    imported.refresh_from_db()
    assert imported.last_review is None


def test_the_article_form_links_to_the_review(reviewer_client, editor_client, imported):
    url = f"/admin/articles/article/{imported.pk}/change/"
    for client, name in [
        (reviewer_client, "Sign the medical review"),
        (editor_client, "What changed since the last review"),
    ]:
        links = [a for a in parse(client.get(url).content).iter("a") if text_of(a) == name]
        assert [a.get("href") for a in links] == [review_url(imported)]


def test_banner_appears_after_an_edit_and_clears_on_review(
    editor_client, reviewer_client, reader, imported
):
    """A review made in the admin, then an edit: readers are told until the next review."""
    assert review(reviewer_client, imported).status_code == 302
    assert banner(reader) is None  # this request also warms the page cache

    edit_overview(editor_client, imported)
    assert banner(reader).startswith(f"{BANNER} {timezone.localdate():%-d %B %Y}.")

    assert review(reviewer_client, imported).status_code == 302
    assert banner(reader) is None


def test_banner_after_an_edit_to_an_article_reviewed_on_an_earlier_day(
    editor_client, reviewer_client, reader, imported
):
    assert review(reviewer_client, imported).status_code == 302
    june = datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC)
    Review.objects.filter(pk=imported.reviews.get().pk).update(signed_at=june)
    Article.objects.filter(pk=imported.pk).update(content_changed=june)
    assert banner(reader) is None

    edit_overview(editor_client, imported)
    assert banner(reader).startswith(f"{BANNER} 1 June 2026.")

    assert review(reviewer_client, imported).status_code == 302
    assert banner(reader) is None


def test_an_import_after_a_review_counts_as_a_change(reviewer_client, reader, imported, tmp_path):
    """A file's "updated" date may be older than the review: the review still cannot
    have seen the text the import brings."""
    assert review(reviewer_client, imported).status_code == 302
    content = tmp_path / "content"
    shutil.copytree(settings.BASE_DIR / "content", content)
    path = content / "articles" / f"{imported.slug}.md"
    text = path.read_text()
    text = re.sub(r"(?m)^summary: .*$", "summary: A new summary from the file.", text)
    path.write_text(text)
    call_command("import_content", dir=str(content), force=True, stdout=io.StringIO())
    assert banner(reader) is not None


def test_an_article_edit_to_the_summary_counts_as_a_change(
    editor_client, reviewer_client, reader, imported
):
    assert review(reviewer_client, imported).status_code == 302
    response = post_change(
        editor_client, imported, summary="A shorter summary.", change_note="Shorter."
    )
    assert response.status_code == 302, form_errors(response)
    assert banner(reader) is not None


def test_changelist_and_overdue_list_show_reviews_past_due(
    editor_client, reviewer_client, imported
):
    def listed(query):
        html = editor_client.get("/admin/articles/article/", {"review": query}).content
        table = parse(html).find(".//table[@id='result_list']")
        return table is not None and imported.title in text_of(table)

    def overdue_page():
        page = parse(editor_client.get("/admin/articles/article/overdue/").content)
        found = page.find(".//ul[@id='overdue-list']")
        return text_of(found) if found is not None else ""

    assert listed("never") and imported.title not in overdue_page()
    assert review(reviewer_client, imported).status_code == 302
    today = timezone.localdate()
    signed = imported.reviews.get()

    def due_in(days):
        Review.objects.filter(pk=signed.pk).update(next_review_due=today + datetime.timedelta(days))

    due_in(90)
    assert not listed("due") and not listed("overdue") and not listed("never")
    due_in(10)
    assert listed("due") and not listed("overdue")
    due_in(-1)
    assert listed("due") and listed("overdue")
    html = editor_client.get("/admin/articles/article/").content.decode()
    assert '<span class="review-due">Overdue</span>' in html
    assert overdue_page().startswith(f"{imported.title}: due since")


def test_reverting_the_article_summary_after_a_review_shows_the_banner(
    editor_client, reviewer_client, reader, imported
):
    """A revert changes what readers see like any edit (the revert form starts from the
    old text, so the form itself sees no change: the check must look at the database)."""
    import_revision = imported.history.get()  # the import's revision
    response = post_change(editor_client, imported, summary="A new summary.", change_note="New.")
    assert response.status_code == 302, form_errors(response)
    assert review(reviewer_client, imported).status_code == 302
    assert banner(reader) is None

    revert_url = f"/admin/articles/article/{imported.pk}/history/{import_revision.history_id}/"
    data = {**form_data(editor_client.get(revert_url)), "change_note": "Old summary back."}
    response = post(editor_client, revert_url, {**data, "_save": "Revert"})
    assert response.status_code == 302, form_errors(response)
    imported.refresh_from_db()
    assert imported.summary == import_revision.summary
    assert banner(reader) is not None


def test_a_review_note_longer_than_the_history_keeps_is_a_form_error(reviewer_client, imported):
    """The note goes into the history after "Medically reviewed by <name>: "."""
    history = imported.history.count()
    response = review(reviewer_client, imported, note="n" * 90)
    assert response.status_code == 200
    errors = form_errors(response)
    assert any(e.startswith("The history keeps 100 characters") for e in errors), errors
    assert form_data(response)["note"] == "n" * 90
    assert imported.history.count() == history

    assert review(reviewer_client, imported, note="n" * 40).status_code == 302
    assert imported.history.first().history_change_reason.endswith(": " + "n" * 40)
