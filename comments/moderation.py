"""Every moderation decision goes through here, from an admin action, the change form
or a reader's report: one update(), an audit row per comment, and the cached pages
retired once the transaction has committed (not before: a reader rendering the page in
between would otherwise cache the old state under the new version)."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.cache import retire_pages

from . import stale
from .models import Comment, ModerationDecision, Report, Status
from .notifications import notify_reported

EDITORIAL_NAME = "Editorial team"
ERASED_NOTE = "Commenter's data erased on request."
REPLY_AWAY = "Off the page with the comment it answers (reader reports)."
REPLY_BACK = "Back on the page with the comment it answers."


def _ids(comments):
    if hasattr(comments, "values_list"):
        return list(comments.values_list("pk", flat=True))
    return [comment.pk for comment in comments]


def moderate(comments, status, moderator, note="", *, only_from=None, versions=None):
    """Set the status of the comments, record who decided and when; return how many changed.

    `only_from` limits the decision to comments now in those statuses (release acts on
    spam only). Approving resets the report count: a comment a moderator has looked at
    again needs as many new reports to go back to the queue. Approving also brings back
    the editorial replies that left the page with the comment (see report()).
    `versions` ({pk: version}, what the moderator saw) refuses the whole decision with
    stale.StaleDecision if any of those comments changed since.
    """
    status = Status(status)
    now = timezone.now()
    with transaction.atomic():
        rows = Comment.objects.filter(pk__in=_ids(comments))
        if versions:
            locked = Comment.objects.filter(pk__in=list(versions)).select_for_update()
            stale.check(dict(locked.values_list("pk", "version")), versions)
        if only_from:
            rows = rows.filter(status__in=only_from)
        ids = list(rows.select_for_update().values_list("pk", flat=True))
        if not ids:
            return 0
        changes = {
            "status": status,
            "moderated_by": moderator,
            "moderated_at": now,
            "version": F("version") + 1,
        }
        if note:
            changes["moderation_note"] = note
        if status == Status.APPROVED:
            changes["report_count"] = 0
        Comment.objects.filter(pk__in=ids).update(**changes)
        ModerationDecision.objects.bulk_create(
            ModerationDecision(comment_id=pk, moderator=moderator, status=status, note=note)
            for pk in ids
        )
        if status == Status.APPROVED:
            _approve_replies_of(ids, moderator, now)
        transaction.on_commit(retire_pages)
    return len(ids)


def _approve_replies_of(parent_ids, moderator, now):
    replies = list(
        Comment.objects.filter(
            parent_id__in=parent_ids, is_editorial=True, status=Status.PENDING
        ).values_list("pk", flat=True)
    )
    if replies:
        Comment.objects.filter(pk__in=replies).update(
            status=Status.APPROVED,
            moderated_by=moderator,
            moderated_at=now,
            version=F("version") + 1,
        )
        ModerationDecision.objects.bulk_create(
            ModerationDecision(
                comment_id=pk, moderator=moderator, status=Status.APPROVED, note=REPLY_BACK
            )
            for pk in replies
        )


def approve(comments, moderator, note="", versions=None):
    return moderate(comments, Status.APPROVED, moderator, note, versions=versions)


def reject(comments, moderator, note="", versions=None):
    return moderate(comments, Status.REJECTED, moderator, note, versions=versions)


def mark_spam(comments, moderator, note="", versions=None):
    return moderate(comments, Status.SPAM, moderator, note, versions=versions)


def release(comments, moderator, note="", versions=None):
    """Spam → pending. Releasing says "this is not spam", not "publish this": the comment
    rejoins the queue (risk-ordered) like any reader's comment, so only an explicit
    approval ever makes a reader's text public. Moderators may approve spam directly."""
    return moderate(
        comments, Status.PENDING, moderator, note, only_from=[Status.SPAM], versions=versions
    )


def reply(parent, body, moderator):
    """A reply from the editorial team, public at once under its (approved) parent."""
    while parent.parent_id:  # replies are one level deep
        parent = parent.parent
    now = timezone.now()
    with transaction.atomic():
        comment = Comment.objects.create(
            article_id=parent.article_id,
            parent=parent,
            is_editorial=True,
            name=EDITORIAL_NAME,
            body=body,
            status=Status.APPROVED,
            moderated_by=moderator,
            moderated_at=now,
            created=now,
        )
        ModerationDecision.objects.create(
            comment=comment, moderator=moderator, status=Status.APPROVED, note="Editorial reply"
        )
        transaction.on_commit(retire_pages)
    return comment


def report(comment_pk, client, reason=""):
    """A reader reports an approved comment. Returns True when the report counted.

    One report per client per comment (a unique constraint). At
    COMMENT_REPORTS_TO_REQUEUE reports the comment goes back to the queue, the editorial
    replies under it leave the page with it (they would answer nothing), and moderators
    are emailed at once. The check and the change are one conditional UPDATE, so
    concurrent reports requeue it once.
    """
    threshold = settings.COMMENT_REPORTS_TO_REQUEUE
    with transaction.atomic():
        reportable = Comment.objects.filter(
            pk=comment_pk, status=Status.APPROVED, is_editorial=False
        )
        if not reportable.exists():
            return False
        try:
            with transaction.atomic():
                Report.objects.create(comment_id=comment_pk, client_hash=client, reason=reason)
        except IntegrityError:
            return False
        Comment.objects.filter(pk=comment_pk).update(report_count=F("report_count") + 1)
        requeued = Comment.objects.filter(
            pk=comment_pk, status=Status.APPROVED, report_count__gte=threshold
        ).update(status=Status.PENDING, version=F("version") + 1)
        if requeued:
            note = f"Back to the queue after {threshold} reader reports."
            replies = list(
                Comment.objects.filter(
                    parent_id=comment_pk, is_editorial=True, status=Status.APPROVED
                ).values_list("pk", flat=True)
            )
            Comment.objects.filter(pk__in=replies).update(
                status=Status.PENDING, version=F("version") + 1
            )
            ModerationDecision.objects.bulk_create(
                [ModerationDecision(comment_id=comment_pk, status=Status.PENDING, note=note)]
                + [
                    ModerationDecision(comment_id=pk, status=Status.PENDING, note=REPLY_AWAY)
                    for pk in replies
                ]
            )
            transaction.on_commit(retire_pages)
            transaction.on_commit(lambda: notify_reported(comment_pk))
    return True


def erase(comments, moderator, versions=None):
    """Erase the commenter's data from these comments; return how many.

    The rows stay, emptied (name, email, body, client and text hashes, notes) and
    rejected, so the audit trail of who decided what and when survives and replies keep
    a parent; the text is gone everywhere, including from earlier decision notes.
    """
    now = timezone.now()
    with transaction.atomic():
        if versions:
            locked = Comment.objects.filter(pk__in=list(versions)).select_for_update()
            stale.check(dict(locked.values_list("pk", "version")), versions)
        ids = list(
            Comment.objects.filter(pk__in=_ids(comments), is_editorial=False)
            .select_for_update()
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        Comment.objects.filter(pk__in=ids).update(
            name="",
            email="",
            body="",
            client_hash="",
            body_hash="",
            moderation_note="",
            spam_reason="",
            risk_flags=[],
            risk=0,
            status=Status.REJECTED,
            moderated_by=moderator,
            moderated_at=now,
            erased_at=now,
            version=F("version") + 1,
        )
        ModerationDecision.objects.filter(comment_id__in=ids).update(note="")
        ModerationDecision.objects.bulk_create(
            ModerationDecision(
                comment_id=pk, moderator=moderator, status=Status.REJECTED, note=ERASED_NOTE
            )
            for pk in ids
        )
        transaction.on_commit(retire_pages)
    return len(ids)


def erase_by_email(email, moderator):
    email = (email or "").strip()
    if not email:
        return 0
    return erase(Comment.objects.filter(email__iexact=email), moderator)
