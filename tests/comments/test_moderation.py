"""comments.moderation: one function per decision, shared by the admin and the views."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments import moderation
from comments.models import Comment, ModerationDecision, Status

from .conftest import approved

pytestmark = pytest.mark.django_db


def pending(article, n):
    return [Comment.objects.create(article=article, name=f"r{i}", body=f"b{i}") for i in range(n)]


def test_bulk_decision_is_one_update_plus_audit_rows(
    article, moderator, django_capture_on_commit_callbacks
):
    """Approving many comments is one UPDATE and one bulk INSERT of audit rows (plus the
    locking SELECT), records who and when, and retires cached pages after commit."""
    comments = pending(article, 25)
    with django_capture_on_commit_callbacks() as callbacks:
        with CaptureQueriesContext(connection) as queries:
            count = moderation.approve(Comment.objects.all(), moderator, note="fine")
    assert count == 25
    updates = [q for q in queries if q["sql"].startswith("UPDATE")]
    inserts = [q for q in queries if q["sql"].startswith("INSERT")]
    assert len(updates) == 1 and len(inserts) == 1
    assert len(callbacks) == 1
    assert Comment.objects.filter(status=Status.APPROVED, moderated_by=moderator).count() == 25
    assert all(c.moderated_at for c in Comment.objects.all())
    assert Comment.objects.filter(moderation_note="fine").count() == 25
    decisions = ModerationDecision.objects.filter(moderator=moderator, status=Status.APPROVED)
    assert sorted(d.comment_id for d in decisions) == sorted(c.pk for c in comments)


def test_cache_is_bumped_only_after_commit(article, moderator, django_capture_on_commit_callbacks):
    """The content version changes when the decision commits, not before."""
    from core.cache import content_version

    [comment] = pending(article, 1)
    before = content_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        moderation.reject([comment], moderator)
        assert content_version() == before
    callbacks[0]()
    assert content_version() != before


def test_release_moves_spam_to_pending_only(article, moderator):
    """Release acts on spam only and sends it back to the queue (not straight to the page)."""
    spam = Comment.objects.create(article=article, name="s", body="s", status=Status.SPAM)
    other = approved(article)
    assert moderation.release([spam, other], moderator) == 1
    spam.refresh_from_db()
    other.refresh_from_db()
    assert spam.status == Status.PENDING
    assert other.status == Status.APPROVED


def test_reply_is_editorial_and_approved(article, moderator):
    """An editorial reply is approved at once, marked editorial, attached one level deep."""
    parent = approved(article)
    first = moderation.reply(parent, "first", moderator)
    second = moderation.reply(first, "answer to a reply", moderator)
    assert first.is_editorial and first.status == Status.APPROVED
    assert first.moderated_by == moderator
    assert second.parent == parent
    assert ModerationDecision.objects.filter(comment=first, note="Editorial reply").exists()


def test_erase_empties_the_comment_and_records_it(article, moderator):
    """Erasure empties every personal field (and earlier notes), rejects the comment, keeps
    the row and the decision trail, and records the erasure; other people's comments and
    editorial replies are untouched."""
    theirs = Comment.objects.create(
        article=article,
        name="Jo Bloggs",
        email="Jo@Example.org",
        body="My story",
        status=Status.APPROVED,
        client_hash="c" * 64,
        body_hash="b" * 64,
        moderation_note="Jo is a regular",
        risk_flags=["dosing"],
        risk=2,
    )
    ModerationDecision.objects.create(comment=theirs, status=Status.APPROVED, note="Jo again")
    reply = moderation.reply(theirs, "Thanks Jo", moderator)
    other = approved(article, email="someone@example.org")

    assert moderation.erase_by_email(" jo@example.ORG ", moderator) == 1
    theirs.refresh_from_db()
    assert (theirs.name, theirs.email, theirs.body) == ("", "", "")
    assert (theirs.client_hash, theirs.body_hash, theirs.moderation_note) == ("", "", "")
    assert theirs.risk_flags == [] and theirs.risk == 0
    assert theirs.status == Status.REJECTED and theirs.erased_at
    notes = list(theirs.decisions.values_list("note", flat=True))
    assert moderation.ERASED_NOTE in notes
    assert not any("Jo" in note for note in notes)
    other.refresh_from_db()
    reply.refresh_from_db()
    assert other.body == "Approved comment" and reply.body == "Thanks Jo"
    assert moderation.erase_by_email("", moderator) == 0
