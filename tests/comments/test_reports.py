"""Readers report approved comments; after COMMENT_REPORTS_TO_REQUEUE reports from
different readers a comment goes back to the moderation queue."""

import pytest
from django.conf import settings
from django.urls import reverse

from comments import moderation
from comments.models import Comment, ModerationDecision, Report, Status

from .conftest import approved

pytestmark = pytest.mark.django_db

N = settings.COMMENT_REPORTS_TO_REQUEUE


@pytest.fixture
def report(client):
    def post(comment, ip="192.0.2.1", HTTP_USER_AGENT="reader", **data):
        return client.post(
            reverse("comments:report", args=[comment.pk]),
            data,
            REMOTE_ADDR=ip,
            HTTP_USER_AGENT=HTTP_USER_AGENT,
            HTTP_SEC_FETCH_SITE="same-origin",
        )

    return post


def test_report_redirects_with_notice_and_sets_no_cookie(client, article, report):
    """A report answers 303 to the article with ?reported=1; the page thanks the reader."""
    comment = approved(article)
    response = report(comment)
    assert response.status_code == 303
    assert response["Location"] == article.get_absolute_url() + "?reported=1#comments"
    assert not response.cookies
    html = client.get(response["Location"]).content.decode()
    assert "Thank you for your report" in html


def test_report_keeps_the_comment_page(article, report):
    """Reporting from page 2 returns the reader to page 2."""
    comment = approved(article)
    response = report(comment, page="2")
    assert response["Location"] == article.get_absolute_url() + "?page=2&reported=1#comments"


def test_one_report_per_client(article, report):
    """The same reader reporting twice counts once, even with another browser string."""
    comment = approved(article)
    report(comment)
    report(comment)
    report(comment, HTTP_USER_AGENT="Another browser")
    comment.refresh_from_db()
    assert comment.report_count == 1
    assert Report.objects.count() == 1


def test_requeued_after_n_reports(
    article, report, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    """N-1 reports leave the comment approved; the Nth sends it back to the queue, with an
    audit row, retires the cached page and emails the moderators at once, with the
    readers' reasons and a link to the comment (never the commenter's address)."""
    comment = approved(article, email="writer@example.org")
    for i in range(N - 1):
        report(comment, ip=f"192.0.2.{10 + i}", reason="unkind")
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report(comment, ip="192.0.2.99")
    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert comment.report_count == N
    assert len(callbacks) == 2  # the page retired, the moderators told
    decision = ModerationDecision.objects.get(comment=comment)
    assert decision.status == Status.PENDING and decision.moderator is None
    assert f"after {N} reader reports" in decision.note
    [email] = mailoutbox
    assert email.to == ["mod@example.org"]
    assert email.subject == "Reported: a comment went back to the queue"
    assert "It is unkind, abusive or hateful" in email.body
    assert f"/admin/comments/comment/{comment.pk}/change/" in email.body
    assert "writer@example.org" not in email.body


def test_editorial_reply_leaves_and_returns_with_its_comment(
    client, article, report, moderator, django_capture_on_commit_callbacks
):
    """When reports take a comment off the page, the editorial reply under it goes back
    to the queue with it (it would answer nothing); approving the comment again brings
    the reply back too, each step in the audit trail."""
    comment = approved(article, body="A comment readers reported.")
    reply = moderation.reply(comment, "Our careful answer.", moderator)
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(N):
            report(comment, ip=f"192.0.2.{10 + i}")
    reply.refresh_from_db()
    assert reply.status == Status.PENDING
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Our careful answer." not in html and "A comment readers reported." not in html
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve([comment], moderator)
    reply.refresh_from_db()
    assert reply.status == Status.APPROVED
    notes = list(reply.decisions.values_list("note", flat=True))
    assert moderation.REPLY_AWAY in notes and moderation.REPLY_BACK in notes
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Our careful answer." in html and "A comment readers reported." in html


def test_reapproval_needs_n_new_reports(article, report, moderator):
    """Once a moderator approves it again, only N reports from new readers requeue it."""
    comment = approved(article)
    for i in range(N):
        report(comment, ip=f"192.0.2.{10 + i}")
    moderation.approve([comment], moderator)
    comment.refresh_from_db()
    assert (comment.status, comment.report_count) == (Status.APPROVED, 0)
    for i in range(N):
        report(comment, ip=f"192.0.2.{10 + i}")  # the same readers again: not counted
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED


def test_only_approved_reader_comments_can_be_reported(article, report, moderator):
    """Reports on pending comments or editorial replies change nothing. A pending
    comment is not found (as a missing one); an editorial reply is public, and the
    reader is thanked as usual."""
    pending = Comment.objects.create(article=article, name="p", body="pending")
    reply = moderation.reply(approved(article), "editorial", moderator)
    assert report(pending).status_code == 404
    assert report(reply).status_code == 303
    assert not Report.objects.exists()


def test_cross_site_report_refused(client, article):
    """A report posted from another site is refused."""
    comment = approved(article)
    response = client.post(
        reverse("comments:report", args=[comment.pk]), HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_reports_are_rate_limited_per_client(clock, article, report):
    """One client cannot report more than COMMENT_RATE_LIMIT comments in a window."""
    limit, _ = settings.COMMENT_RATE_LIMIT
    comments = [approved(article, body=f"c{i}") for i in range(limit + 2)]
    for comment in comments:
        report(comment)
    assert Report.objects.count() == limit


def test_report_is_a_quiet_link_to_a_short_form(client, article):
    """Under each comment, "Report" is a link (not a button that reports at once); it
    opens a short page with the comment, an optional reason, a send button and a way
    back to the comment. Opening it reports nothing and sets no cookie."""
    comment = approved(article, name="Kim", body="A comment someone may find unkind.")
    page = client.get(article.get_absolute_url()).content.decode()
    report_url = reverse("comments:report", args=[comment.pk])
    assert f'class="comment-report-link" href="{report_url}"' in page
    assert 'class="link-button"' not in page
    response = client.get(report_url)
    assert response.status_code == 200 and not response.cookies
    html = response.content.decode()
    assert "<h1>Report a comment</h1>" in html
    assert "A comment someone may find unkind." in html and "Kim" in html
    assert "What is wrong with it? (optional)" in html
    for value in ("unkind", "harmful", "spam", "private", "other"):
        assert f'value="{value}"' in html
    assert f'href="{article.get_absolute_url()}#comment-{comment.pk}"' in html
    assert not Report.objects.exists()


def test_report_with_a_reason_is_confirmed(client, article, report):
    """Sending the form stores the reason and lands on the comments with a thank-you."""
    comment = approved(article)
    response = report(comment, reason="harmful")
    assert Report.objects.get().reason == "harmful"
    html = client.get(response["Location"]).content.decode()
    assert "Thank you for your report" in html


def test_report_with_an_odd_reason_counts_without_one(article, report):
    """A reason that is not one of the choices is dropped; the report still counts."""
    comment = approved(article)
    report(comment, reason="<script>alert(1)</script>")
    assert Report.objects.get().reason == ""


def test_report_form_for_a_hidden_comment_is_404(client, article):
    """The form, like the endpoint, is a 404 for anything a reader cannot see."""
    pending = Comment.objects.create(article=article, name="p", body="pending")
    assert client.get(reverse("comments:report", args=[pending.pk])).status_code == 404
