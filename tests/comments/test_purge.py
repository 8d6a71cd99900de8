"""purge_comments applies the retention periods the README states."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from comments.models import Comment, Report, Status

pytestmark = pytest.mark.django_db


def make(article, days_ago, status, **extra):
    when = timezone.now() - timedelta(days=days_ago)
    return Comment.objects.create(
        article=article,
        name="n",
        body=f"{status} {days_ago}",
        status=status,
        created=when,
        moderated_at=when,
        client_hash="c" * 64,
        body_hash=f"{status}{days_ago}",
        **extra,
    )


def test_purge_deletes_old_refused_and_clears_old_personal_data(article):
    """Rejected and spam comments decided more than 30 days ago are deleted; fingerprints
    and reports older than 30 days and emails older than 180 days are cleared; recent
    data and approved comments stay."""
    old_spam = make(article, 31, Status.SPAM)
    old_rejected = make(article, 31, Status.REJECTED)
    recent_spam = make(article, 29, Status.SPAM)
    old_approved = make(article, 200, Status.APPROVED, email="a@example.org")
    mid_approved = make(article, 100, Status.APPROVED, email="b@example.org")
    Report.objects.create(
        comment=old_approved, client_hash="r", created=timezone.now() - timedelta(days=31)
    )
    fresh_report = Report.objects.create(comment=mid_approved, client_hash="r")

    out = StringIO()
    call_command("purge_comments", stdout=out)
    assert "delete 2 rejected or spam comments" in out.getvalue()

    remaining = set(Comment.objects.values_list("pk", flat=True))
    assert old_spam.pk not in remaining and old_rejected.pk not in remaining
    assert {recent_spam.pk, old_approved.pk, mid_approved.pk} <= remaining
    old_approved.refresh_from_db()
    mid_approved.refresh_from_db()
    recent_spam.refresh_from_db()
    assert (old_approved.client_hash, old_approved.body_hash, old_approved.email) == ("", "", "")
    assert mid_approved.client_hash == "" and mid_approved.email == "b@example.org"
    assert recent_spam.client_hash == "c" * 64
    assert list(Report.objects.all()) == [fresh_report]


def test_dry_run_changes_nothing(article):
    """--dry-run reports what it would do and changes nothing."""
    make(article, 40, Status.SPAM)
    out = StringIO()
    call_command("purge_comments", "--dry-run", stdout=out)
    assert "would delete 1" in out.getvalue()
    assert Comment.objects.count() == 1
