"""Email to moderators when a comment joins the queue, or goes back to it after reports.

Sent after the comment is committed (so the email never names a comment that was rolled
back), to the active users who hold comments.moderate_comment through their group or
directly and have an email address. The console backend by default, SMTP when
EMAIL_HOST is set (see the README).

So that a busy day or a spam wave does not bury moderators in mail, ordinary comments
send at most one email per NOTIFY_INTERVAL seconds, saying how many are waiting; a
comment flagged as risky (self-harm, doses, sourcing) is always sent at once.

The commenter's email address is never put in the email or in a log line.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse

from .models import Comment, ReportReason, RiskFlag, Status

logger = logging.getLogger(__name__)

NOTIFY_INTERVAL = 10 * 60
THROTTLE_KEY = "comments:notified"


def moderator_emails():
    permission = Permission.objects.filter(
        content_type__app_label="comments", codename="moderate_comment"
    ).first()
    if permission is None:
        return []
    users = (
        get_user_model()
        .objects.filter(Q(groups__permissions=permission) | Q(user_permissions=permission))
        .filter(is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    return sorted(set(users))


def queue_url():
    path = reverse("admin:comments_comment_changelist") + "?status__exact=pending"
    return (settings.SITE_URL or "") + path


def _send(subject, lines, comment_pk):
    recipients = moderator_emails()
    if not recipients:
        logger.info("comment %s pending; no moderator has an email address", comment_pk)
        return False
    try:
        send_mail(subject, "\n".join(lines), None, recipients)
    except Exception:  # a mail outage must not lose the reader's comment or report
        logger.warning("could not email moderators about comment %s", comment_pk, exc_info=True)
        return False
    logger.info("emailed %d moderators about comment %s", len(recipients), comment_pk)
    return True


def comment_admin_url(comment_pk):
    path = reverse("admin:comments_comment_change", args=[comment_pk])
    return (settings.SITE_URL or "") + path


def notify_reported(comment_pk):
    """Tell moderators at once that reader reports took a comment off the page (called
    through transaction.on_commit). Never throttled: a comment readers found harmful,
    or a good comment taken down by a few people, both need a moderator soon."""
    comment = Comment.objects.select_related("article").get(pk=comment_pk)
    reasons = [
        ReportReason(reason).label
        for reason in comment.reports.exclude(reason="").values_list("reason", flat=True)
    ]
    lines = [
        f"A comment on “{comment.article.title}” was reported by {comment.report_count} "
        "readers and has gone back to the moderation queue: it is no longer on the page.",
        "",
    ]
    if reasons:
        lines += ["What the readers said:"] + [f"- {reason}" for reason in reasons] + [""]
    lines += [
        "Approve it to put it back (with any editorial reply), or reject it.",
        "",
        f"Open the comment: {comment_admin_url(comment_pk)}",
    ]
    return _send("Reported: a comment went back to the queue", lines, comment_pk)


def notify_new_pending(comment):
    """Tell moderators a comment waits (called through transaction.on_commit)."""
    risky = bool(comment.risk_flags)
    if not risky and not cache.add(THROTTLE_KEY, True, timeout=NOTIFY_INTERVAL):
        return False
    waiting = Comment.objects.filter(status=Status.PENDING).count()
    lines = [
        f"A comment on “{comment.article.title}” is waiting for moderation.",
        f"Comments waiting: {waiting}.",
        "",
    ]
    if risky:
        reasons = ", ".join(RiskFlag(flag).label.lower() for flag in comment.risk_flags)
        lines += [
            f"It needs care: it {reasons}. Reply templates that follow safe-messaging",
            "guidance are in the comment's page in the admin.",
            "",
        ]
    lines += [f"Open the queue: {queue_url()}"]
    subject = ("Needs care: " if risky else "") + "a comment is waiting for moderation"
    return _send(subject, lines, comment.pk)
