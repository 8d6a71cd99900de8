"""The columns of the moderation list and the read-only fields of a comment's page."""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from .models import ReportReason, RiskFlag
from .rendering import render_plain_text
from .risk import assess


class CommentColumns:
    """Mixed into CommentAdmin; list_display and readonly_fields name these."""

    @admin.display(description="comment")
    def excerpt(self, obj):
        if obj.erased_at:
            return "(erased on request)"
        text = " ".join(obj.body.split())
        return text if len(text) <= 90 else text[:89] + "…"

    @admin.display(description="name", ordering="name")
    def display_name(self, obj):
        if obj.is_editorial:
            return format_html("<strong>{}</strong> (editorial reply)", obj.name)
        return format_html('<span class="cut" title="{}">{}</span>', obj.name, obj.name)

    @admin.display(description="article", ordering="article__title")
    def article_title(self, obj):
        title = obj.article.title
        return format_html('<span class="cut" title="{}">{}</span>', title, title)

    @admin.display(description="needs care", ordering="-risk")
    def needs_care(self, obj):
        if not obj.risk_flags:
            return "—"
        reasons = assess(obj.name, obj.body).reasons() or [
            RiskFlag(flag).label for flag in obj.risk_flags
        ]
        return format_html(
            '<span class="comment-risk">{}</span>',
            format_html_join("", "<span>⚠ {}</span><br>", ((r,) for r in reasons)),
        )

    @admin.display(description="editorial reply", ordering="editorial_reply_count")
    def replied(self, obj):
        count = getattr(obj, "editorial_reply_count", 0)
        return f"✓ {count} repl{'y' if count == 1 else 'ies'}" if count else "—"

    @admin.display(description="why spam")
    def why_spam(self, obj):
        if not obj.spam_reason:
            return "—"
        return format_html(
            '<span class="cut" title="{}">{}</span>', obj.spam_reason, obj.spam_reason
        )

    @admin.display(description="replies from the editorial team")
    def editorial_replies(self, obj):
        replies = list(obj.replies.filter(is_editorial=True).select_related("moderated_by"))
        if not replies:
            return "None yet."
        return format_html_join(
            "",
            '<div class="comment-reply"><p><a href="{}">{}, {}</a> ({}{})</p>'
            '<div class="comment-text">{}</div></div>',
            (
                (
                    reverse("admin:comments_comment_change", args=[reply.pk]),
                    f"Reply {reply.pk}",
                    f"{reply.created:%-d %B %Y, %H:%M}",
                    reply.get_status_display().lower(),
                    f", by {reply.moderated_by}" if reply.moderated_by else "",
                    render_plain_text(reply.body),
                )
                for reply in replies
            ),
        )

    @admin.display(description="reader reports")
    def reports(self, obj):
        reasons = obj.reports.values("reason").annotate(n=Count("pk")).order_by("-n", "reason")
        labels = dict(ReportReason.choices)
        rows = [(labels.get(row["reason"], "No reason given"), row["n"]) for row in reasons]
        if not rows:
            return "None."
        return format_html_join("", "<div>{} × {}</div>", ((n, label) for label, n in rows))

    @admin.display(description="text")
    def text(self, obj):
        return format_html('<div class="comment-text">{}</div>', render_plain_text(obj.body))
