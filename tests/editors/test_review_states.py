"""Review states readers can trust: draft, awaiting review, published; a page published
before review says so at the top; bylines and JSON-LD name a reviewer only after a
signature; drafts are visible to staff only, and never cached."""

import datetime
import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from articles.models import Article, Review
from articles.reviews import mark_content_changed, sign_review
from people.models import Profile
from tests.editors.conftest import (
    ARTICLE_URL,
    change_url,
    form_data,
    form_errors,
    logged_in,
    parse,
    post_change,
    text_of,
)

pytestmark = pytest.mark.django_db

NOT_REVIEWED = "Not yet medically reviewed."


def page_of(client, url=ARTICLE_URL):
    response = client.get(url)
    assert response.status_code == 200
    return response, parse(response.content)


def header_texts(tree):
    header = tree.find(".//header[@class='article-header']")
    return [text_of(p) for p in header.iter("p")]


def json_ld(tree):
    [script] = [s for s in tree.iter("script") if s.get("type") == "application/ld+json"]
    return json.loads(script.text)[0]


@pytest.fixture
def signed(imported, reviewer):
    due = timezone.localdate() + datetime.timedelta(days=180)
    return sign_review(imported, reviewer.profile, due, "Checked.")


def test_an_imported_article_is_published_before_review_and_says_so_first(reader, imported):
    """A fresh `make run`: no reviewer, no review date, a notice at the very top."""
    assert imported.status == "published" and imported.last_review is None
    assert imported.history.get().history_change_reason == (
        "Imported from content/ and published before medical review"
    )
    response, tree = page_of(reader)
    texts = header_texts(tree)
    assert texts[0].startswith(NOT_REVIEWED)
    html = response.content.decode()
    assert "Medically reviewed by" not in html and "Next review due" not in html
    data = json_ld(tree)
    assert "reviewedBy" not in data and "lastReviewed" not in data


def test_a_signed_review_puts_the_reviewers_profile_in_the_byline(reader, signed):
    response, tree = page_of(reader)
    assert not any(NOT_REVIEWED in t for t in header_texts(tree))
    [byline] = [p for p in tree.iter("p") if p.get("class") == "byline"]
    today = timezone.localdate()
    assert (
        f"Medically reviewed by Dr Rita Okafor, Consultant psychiatrist, on {today:%-d %B %Y}"
        in text_of(byline)
    )
    links = [a.get("href") for a in byline.iter("a")]
    assert f"/about/#person-{signed.reviewer.pk}" in links
    data = json_ld(tree)
    assert data["reviewedBy"] == {
        "@type": "Person",
        "name": "Dr Rita Okafor",
        "jobTitle": "Consultant psychiatrist",
    }
    assert data["lastReviewed"] == today.isoformat()


def test_a_content_change_after_review_shows_the_banner(reader, imported, signed):
    """Other apps (a signed outcome changing) report changes through the same hook."""
    _, tree = page_of(reader)
    assert not any("Updated since its last medical review" in t for t in header_texts(tree))
    with TestCase.captureOnCommitCallbacks(execute=True):  # retires the cached page
        mark_content_changed(imported, timezone.now() + datetime.timedelta(seconds=1))
    _, tree = page_of(reader)
    assert any(t.startswith("Updated since its last medical review") for t in header_texts(tree))


def test_an_overdue_review_is_said_honestly(reader, imported, signed):
    due = timezone.localdate() - datetime.timedelta(days=3)
    Review.objects.filter(pk=signed.pk).update(next_review_due=due)
    _, tree = page_of(reader)
    assert (
        header_texts(tree)[0]
        == f"Due for medical review since {due:%-d %B %Y}; we are checking it."
    )


def test_the_article_form_has_no_reviewer_or_review_date_field(editor_client, imported):
    fields = set(form_data(editor_client.get(change_url(imported))))
    assert {"title", "summary", "authors", "status"} <= fields
    assert not fields & {"reviewer", "reviewed_on", "next_review_due", "reviewed_by", "published"}


@pytest.mark.parametrize("status", ["draft", "awaiting-review"])
def test_a_draft_is_a_404_to_readers_and_a_private_page_to_staff(
    status, reader, editor_client, reviewer_client, moderator_client, imported
):
    Article.objects.filter(pk=imported.pk).update(status=status)
    assert reader.get(ARTICLE_URL).status_code == 404
    for client in (editor_client, reviewer_client):
        response, tree = page_of(client)
        assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}
        assert header_texts(tree)[0].endswith(
            "— not public. Only staff who may edit or review "
            "articles can see this page; readers get “page not found”."
        )
    assert moderator_client.get(ARTICLE_URL).status_code == 404
    # The staff render was never stored for readers; nor are its comments or feedback open.
    assert reader.get(ARTICLE_URL).status_code == 404
    assert reader.get("/").content.decode().count(ARTICLE_URL) == 0
    assert reader.post(ARTICLE_URL + "feedback/", {"helpful": "yes"}).status_code == 404


def publish(client, imported, note="Publish."):
    Article.objects.filter(pk=imported.pk).update(status="awaiting-review")
    return post_change(client, imported, status="published", change_note=note)


def test_publishing_needs_a_current_review(editor_client, imported):
    response = publish(editor_client, imported)
    assert response.status_code == 200
    assert any("no current medical review" in e for e in form_errors(response))
    imported.refresh_from_db()
    assert imported.status == "awaiting-review"


def test_after_a_review_an_editor_may_publish(editor_client, imported, signed):
    assert publish(editor_client, imported).status_code == 302
    imported.refresh_from_db()
    assert imported.status == "published"


def test_publish_before_review_is_a_permission_recorded_in_the_history(make_user, reader, imported):
    from django.contrib.auth.models import Permission

    user = make_user("pat", groups=["Editors"])
    user.user_permissions.add(Permission.objects.get(codename="publish_before_review"))
    response = publish(logged_in(user), imported, note="Needed now.")
    assert response.status_code == 302, form_errors(response)
    imported.refresh_from_db()
    assert imported.status == "published"
    revision = imported.history.first()
    assert revision.history_user == user
    assert revision.history_change_reason == "Published before medical review: Needed now."
    _, tree = page_of(reader)
    assert header_texts(tree)[0].startswith(NOT_REVIEWED)


def test_sites_may_turn_the_review_requirement_off(settings, editor_client, imported):
    settings.REQUIRE_REVIEW_TO_PUBLISH = False
    assert publish(editor_client, imported).status_code == 302
    assert imported.history.first().history_change_reason.startswith(
        "Published before medical review"
    )


def test_review_reminders_go_once_each(imported, signed, reviewer, make_user):
    reviewer.email = "rita@example.org"
    reviewer.save()
    author = imported.authors.get()
    author.user.email = "author@example.org"
    author.user.save()
    make_user("ed2", groups=["Editors"], email="editors@example.org")
    today = timezone.localdate()

    def run_on(days_left):
        Review.objects.filter(pk=signed.pk).update(
            next_review_due=today + datetime.timedelta(days=days_left)
        )
        mail.outbox.clear()
        call_command("review_reminders", stdout=open("/dev/null", "w"))
        return [(m.subject, sorted(m.to)) for m in mail.outbox]

    both = ["author@example.org", "rita@example.org"]
    assert run_on(40) == []
    assert run_on(30) == [(f"Medical review due in 30 days: {imported.title}", both)]
    assert run_on(29) == []  # once
    assert run_on(7) == [(f"Medical review due in 7 days: {imported.title}", both)]
    assert run_on(0) == [(f"Medical review due today: {imported.title}", both)]
    assert run_on(0) == []
    overdue = run_on(-1)
    assert overdue[0][0] == f"Medical review overdue: {imported.title}"
    assert "editors@example.org" in overdue[0][1] and "rita@example.org" not in overdue[0][1]
    assert run_on(-5) == []
    assert Profile.objects.filter(pk=signed.reviewer.pk).exists()


def test_people_on_the_page_cost_no_query_per_person(reader, imported, signed, make_user):
    """Authors and the reviewer come with the article (prevents an n+1 per person)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cold_queries():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert reader.get(ARTICLE_URL).status_code == 200
        return len(queries)

    one_author = cold_queries()
    for name in ("ana", "ben", "cy"):
        imported.authors.add(Profile.objects.create(user=make_user(name), public_name=name.title()))
    assert cold_queries() == one_author
