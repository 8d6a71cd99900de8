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

from articles.models import Article
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


def review_url(article):
    return f"/admin/articles/article/{article.pk}/review/"


def review(client, article, **changes):
    data = {**form_data(client.get(review_url(article))), **changes}
    return post(client, review_url(article), data)


def edit_overview(client, article, sentence="A sentence added after the review."):
    overview = article.sections.get(key="overview")
    response = post_change(
        client, overview, body_markdown=overview.body_markdown + f"\n\n{sentence}", change_note="x"
    )
    assert response.status_code == 302, form_errors(response)


def test_a_reviewer_marks_the_article_reviewed(reviewer_client, reviewer, article):
    page = reviewer_client.get(review_url(article))
    assert page.status_code == 200
    status = next(p for p in parse(page.content).iter("p") if p.get("class") == "review-status")
    assert text_of(status) == (
        f"Last medically reviewed on {article.reviewed_on:%-d %B %Y} by {article.reviewer}; "
        f"next review due {article.next_review_due:%-d %B %Y}."
    )
    initial = form_data(page)
    today = timezone.localdate()
    assert initial["reviewer"] == "Rita Reviewer"
    # ISO dates, or <input type="date"> would show an empty field.
    assert initial["reviewed_on"] == today.isoformat()
    assert initial["next_review_due"] == (today + datetime.timedelta(days=182)).isoformat()
    history = article.history.count()

    due = today + datetime.timedelta(days=180)
    response = review(
        reviewer_client, article, next_review_due=due.isoformat(), note="Checked the RCTs."
    )
    assert response.status_code == 302
    assert response.url == f"/admin/articles/article/{article.pk}/change/"

    article.refresh_from_db()
    assert article.reviewed_by == reviewer
    assert article.reviewer == "Rita Reviewer"
    assert article.reviewed_on == today and article.next_review_due == due
    assert article.reviewed_at is not None
    assert article.history.count() == history + 1
    revision = article.history.first()
    assert revision.history_user == reviewer
    assert (
        revision.history_change_reason == "Medically reviewed by Rita Reviewer: Checked the RCTs."
    )


def test_the_next_review_must_come_after_this_one(reviewer_client, article):
    before = (article.reviewed_on, article.history.count())
    today = timezone.localdate()
    response = review(reviewer_client, article, next_review_due=today.isoformat())
    assert response.status_code == 200
    assert "The next review must come after this one." in form_errors(response)
    article.refresh_from_db()
    assert (article.reviewed_on, article.history.count()) == before


@pytest.mark.parametrize("role", ["editor_client", "moderator_client"])
def test_only_reviewers_may_mark_an_article_reviewed(request, role, article):
    client = request.getfixturevalue(role)
    assert client.get(review_url(article)).status_code == 403
    response = client.post(
        review_url(article),
        {"reviewer": "Me", "reviewed_on": "2026-01-01", "next_review_due": "2027-01-01"},
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.reviewed_by is None


def test_the_article_form_links_reviewers_to_the_review(reviewer_client, editor_client, article):
    url = f"/admin/articles/article/{article.pk}/change/"
    assert review_url(article) in reviewer_client.get(url).content.decode()
    assert review_url(article) not in editor_client.get(url).content.decode()


def test_banner_appears_after_an_edit_and_clears_on_review(
    editor_client, reviewer_client, reader, article
):
    """A review made in the admin, then an edit: readers are told until the next review."""
    assert review(reviewer_client, article).status_code == 302
    assert banner(reader) is None  # this request also warms the page cache

    edit_overview(editor_client, article)
    assert banner(reader).startswith(f"{BANNER} {timezone.localdate():%-d %B %Y}.")

    assert review(reviewer_client, article).status_code == 302
    assert banner(reader) is None


def test_banner_after_an_edit_to_an_article_reviewed_on_an_earlier_day(
    editor_client, reviewer_client, reader, article
):
    """The imported review is known only by its date (no time)."""
    june = datetime.date(2026, 6, 1)
    Article.objects.filter(pk=article.pk).update(
        reviewed_on=june,
        content_changed=datetime.datetime.combine(june, datetime.time.min, datetime.UTC),
    )
    assert banner(reader) is None

    edit_overview(editor_client, article)
    assert banner(reader).startswith(f"{BANNER} 1 June 2026.")

    assert review(reviewer_client, article).status_code == 302
    assert banner(reader) is None


def test_banner_after_an_edit_on_the_day_of_an_imported_review(
    editor_client, reader, article, tmp_path
):
    """content/ says the article was reviewed the day it was last updated (as the real
    file does); an editor changes it later that day. Readers must be told: the review
    cannot have seen the edit."""
    today = timezone.localdate().isoformat()
    content = tmp_path / "content"
    shutil.copytree(settings.BASE_DIR / "content", content)
    path = content / "articles" / f"{article.slug}.md"
    text = path.read_text()
    text = re.sub(r"(?m)^reviewed: .*$", f"reviewed: {today}", text)
    text = re.sub(r"(?m)^updated: .*$", f"updated: {today}", text)
    path.write_text(text)
    call_command("import_content", dir=str(content), force=True, stdout=io.StringIO())
    assert banner(reader) is None
    edit_overview(editor_client, article)
    assert banner(reader) is not None


def test_an_article_edit_to_the_summary_counts_as_a_change(
    editor_client, reviewer_client, reader, article
):
    assert review(reviewer_client, article).status_code == 302
    response = post_change(
        editor_client, article, summary="A shorter summary.", change_note="Shorter."
    )
    assert response.status_code == 302, form_errors(response)
    assert banner(reader) is not None


def test_changelist_lists_articles_whose_review_is_due_or_overdue(editor_client, article):
    def listed(query):
        html = editor_client.get("/admin/articles/article/", {"review": query}).content
        table = parse(html).find(".//table[@id='result_list']")
        return table is not None and article.title in text_of(table)

    today = timezone.localdate()
    Article.objects.filter(pk=article.pk).update(next_review_due=today + datetime.timedelta(90))
    assert not listed("due") and not listed("overdue")

    Article.objects.filter(pk=article.pk).update(next_review_due=today + datetime.timedelta(10))
    assert listed("due") and not listed("overdue")

    Article.objects.filter(pk=article.pk).update(next_review_due=today - datetime.timedelta(1))
    assert listed("due") and listed("overdue")
    html = editor_client.get("/admin/articles/article/").content.decode()
    assert '<span class="review-due">Overdue</span>' in html


def test_reverting_the_article_summary_after_a_review_shows_the_banner(
    editor_client, reviewer_client, reader, article
):
    """A revert changes what readers see like any edit (the revert form starts from the
    old text, so the form itself sees no change: the check must look at the database)."""
    imported = article.history.get()
    response = post_change(editor_client, article, summary="A new summary.", change_note="New.")
    assert response.status_code == 302, form_errors(response)
    assert review(reviewer_client, article).status_code == 302
    assert banner(reader) is None

    revert_url = f"/admin/articles/article/{article.pk}/history/{imported.history_id}/"
    data = {**form_data(editor_client.get(revert_url)), "change_note": "Old summary back."}
    response = post(editor_client, revert_url, {**data, "_save": "Revert"})
    assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    assert article.summary == imported.summary
    assert banner(reader) is not None


def test_a_review_note_longer_than_the_history_keeps_is_a_form_error(reviewer_client, article):
    """The note goes into the history after "Medically reviewed by <name>: "."""
    history = article.history.count()
    response = review(reviewer_client, article, note="n" * 90)
    assert response.status_code == 200
    errors = form_errors(response)
    assert any(e.startswith("The history keeps 100 characters") for e in errors), errors
    assert form_data(response)["note"] == "n" * 90
    assert article.history.count() == history

    assert review(reviewer_client, article, note="n" * 40).status_code == 302
    assert article.history.first().history_change_reason.endswith(": " + "n" * 40)
