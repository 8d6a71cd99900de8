"""Moderation in the Django admin, for the Moderators group.

Every decision (the bulk actions, a status changed in the form, an editorial reply, an
erasure) goes through comments.moderation, which records who decided and when and
retires the cached pages. The actions need comments.moderate_comment: Django's action
permissions (`has_moderate_permission`) drop them from get_actions() for anyone else.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import path, reverse
from django.utils.html import format_html

from core.cache import retire_pages
from core.changelist import ModelAdmin

from . import admin_email, admin_erase, moderation, reply_templates, stale
from .admin_blocklist import BlockedTermAdmin
from .admin_columns import CommentColumns
from .admin_confirm import confirm_first
from .models import BlockedTerm, Comment, ModerationDecision, RiskFlag, Status
from .risk import WEIGHTS

MODERATE = "comments.moderate_comment"


class RiskFilter(admin.SimpleListFilter):
    title = "needs care"
    parameter_name = "risk"

    def lookups(self, request, model_admin):
        return [("any", "Any flag")] + [(flag.value, flag.label) for flag in RiskFlag]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "any":
            return queryset.filter(risk__gt=0)
        if value in RiskFlag.values:
            bit = WEIGHTS[RiskFlag(value)]
            return queryset.alias(flag_bit=F("risk").bitand(bit)).filter(flag_bit=bit)
        return queryset


class ModerationDecisionInline(admin.TabularInline):
    model = ModerationDecision
    fields = ["created", "status", "moderator", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "decision"
    verbose_name_plural = "Decisions (who moderated and when)"

    def has_view_permission(self, request, obj=None):
        # The audit trail belongs to the comment: whoever may see it sees its decisions.
        return request.user.has_perm("comments.view_comment")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CommentModerationForm(stale.OpenedVersionForm):
    reply_template = forms.ChoiceField(
        label="Start from a reply template",
        choices=reply_templates.choices,
        required=False,
        help_text="Fills in the reply below (with JavaScript). Without it, a reply left "
        "empty sends the chosen template as it is.",
    )
    reply = forms.CharField(
        label="Reply as the editorial team",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text="Published at once under this comment (when the comment is approved). "
        "Plain text.",
    )

    class Meta:
        model = Comment
        fields = ["status", "moderation_note"]

    class Media:
        js = ["comments/reply-templates.js"]

    def reply_text(self):
        text = (self.cleaned_data.get("reply") or "").strip()
        if not text and self.cleaned_data.get("reply_template"):
            text = reply_templates.BY_KEY[self.cleaned_data["reply_template"]].text
        return text


@admin.register(Comment)
class CommentAdmin(CommentColumns, ModelAdmin):
    form = CommentModerationForm
    change_form_template = "admin/comments/comment/change_form.html"
    change_list_template = "admin/comments/comment/change_list.html"
    # Status and "needs care" come right after the text, and the long columns are cut
    # short (comments/admin-list.css), so both always show on a 1920 px screen.
    list_display = [
        "excerpt",
        "status",
        "needs_care",
        "display_name",
        "article_title",
        "replied",
        "why_spam",
        "created",
        "report_count",
        "moderated_by",
        "moderated_at",
    ]
    list_display_links = ["excerpt"]
    list_filter = ["status", RiskFilter, "is_editorial", "article", "created"]
    list_select_related = ["article", "moderated_by"]
    search_fields = ["name", "body", "email", "moderation_note"]
    date_hierarchy = "created"
    list_per_page = 50
    actions = ["approve", "reject", "mark_spam", "release", "erase_selected"]
    inlines = [ModerationDecisionInline]
    readonly_fields = [
        "article",
        "parent",
        "display_name",
        "email",
        "text",
        "created",
        "needs_care",
        "spam_reason",
        "report_count",
        "reports",
        "editorial_replies",
        "moderated_by",
        "moderated_at",
        "erased_at",
    ]

    # Permissions -----------------------------------------------------------------------

    def has_moderate_permission(self, request, obj=None):
        return request.user.has_perm(MODERATE)

    def has_add_permission(self, request):
        # Readers write comments on the site; the editorial team replies from a comment.
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting would lose the audit trail: reject, mark as spam or erase instead.
        return request.user.is_superuser

    def get_fieldsets(self, request, obj=None):
        editorial = bool(obj and obj.is_editorial)
        # An editorial reply's text can be corrected; a reader's words are never edited.
        text = "body" if editorial and self.has_moderate_permission(request) else "text"
        comment_fields = ["article", "parent", "display_name", "email", text, "created"]
        checks = ["needs_care", "spam_reason", "report_count", "reports"]
        decision = ["status", "moderation_note", "moderated_by", "moderated_at", "erased_at"]
        if self.has_moderate_permission(request) and obj and not obj.erased_at:
            decision.append("opened_version")
        if not editorial:
            comment_fields.append("editorial_replies")
        fieldsets = [
            (None, {"fields": comment_fields}),
            ("Checks", {"fields": checks}),
            ("Decision", {"fields": decision}),
        ]
        if self.has_moderate_permission(request) and obj and not (obj.erased_at or editorial):
            fieldsets.append(
                (
                    "Reply to this comment",
                    {"fields": ["reply_template", "reply"]},
                )
            )
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if not self.has_moderate_permission(request) or (obj and obj.erased_at):
            fields += ["status", "moderation_note"]
        return fields

    def get_ordering(self, request):
        # The queue: risky comments first, then oldest first. Elsewhere, newest first.
        if request.GET.get("status__exact") == Status.PENDING:
            return ["-risk", "created", "pk"]
        return ["-created", "-pk"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(editorial_reply_count=Count("replies", filter=Q(replies__is_editorial=True)))
        )

    # Decisions -------------------------------------------------------------------------

    def _decide(self, request, queryset, decide, verb):
        try:
            count = decide(queryset, request.user, versions=stale.posted_versions(request.POST))
        except stale.StaleDecision as refused:
            self.message_user(
                request,
                f"Nothing was changed. {refused} Check the list, then choose again.",
                messages.ERROR,
            )
            return
        self.message_user(request, f"{count} comment{'s' if count != 1 else ''} {verb}.")

    def action_checkbox(self, obj):
        """The row's checkbox, with the version the row shows (see comments.stale)."""
        return format_html(
            '{}<input type="hidden" name="version-{}" value="{}">',
            super().action_checkbox(obj),
            obj.pk,
            obj.version,
        )

    @admin.action(permissions=["moderate"], description="Approve: show on the site")
    def approve(self, request, queryset):
        self._decide(request, queryset, moderation.approve, "approved")

    @admin.action(permissions=["moderate"], description="Reject")
    def reject(self, request, queryset):
        return confirm_first(
            self,
            request,
            queryset,
            action="reject",
            question="Reject these comments?",
            button="Yes, reject them",
            warning="Rejected comments leave the page (and their editorial replies with "
            "them). You can approve them again later from the list.",
            run=lambda rows: self._decide(request, rows, moderation.reject, "rejected"),
        )

    @admin.action(permissions=["moderate"], description="Mark as spam")
    def mark_spam(self, request, queryset):
        return confirm_first(
            self,
            request,
            queryset,
            action="mark_spam",
            question="Mark these comments as spam?",
            button="Yes, mark them as spam",
            warning="Spam leaves the page and the queue. You can release it back to the "
            "queue later from the spam list.",
            run=lambda rows: self._decide(request, rows, moderation.mark_spam, "marked as spam"),
        )

    @admin.action(permissions=["moderate"], description="Release from spam (back to the queue)")
    def release(self, request, queryset):
        self._decide(request, queryset, moderation.release, "released to the queue")

    @admin.action(permissions=["moderate"], description="Erase the commenters' data")
    def erase_selected(self, request, queryset):
        return confirm_first(
            self,
            request,
            queryset,
            action="erase_selected",
            question="Erase these commenters' data?",
            button="Yes, erase it",
            warning="Each comment below is emptied (name, email, text, fingerprints, notes) "
            "and rejected. This cannot be undone.",
            run=lambda rows: self._decide(request, rows, moderation.erase, "erased"),
        )

    def save_model(self, request, obj, form, change):
        if not change or not self.has_moderate_permission(request, obj):
            raise PermissionDenied
        note = form.cleaned_data.get("moderation_note", obj.moderation_note)
        if "status" in form.changed_data:
            moderation.moderate([obj], obj.status, request.user, note)
        elif "moderation_note" in form.changed_data:
            Comment.objects.filter(pk=obj.pk).update(moderation_note=note, version=F("version") + 1)
        if obj.is_editorial and "body" in form.changed_data:
            Comment.objects.filter(pk=obj.pk).update(
                body=form.cleaned_data["body"], version=F("version") + 1
            )
            transaction.on_commit(retire_pages)
        reply = form.reply_text() if hasattr(form, "reply_text") else ""
        if reply:
            moderation.reply(obj, reply, request.user)
            if obj.status != Status.APPROVED:
                messages.warning(
                    request,
                    "Your reply is saved; it will show once the comment it answers is approved.",
                )
        obj.refresh_from_db()

    # Erasure by email ------------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "erase/",
                self.admin_site.admin_view(self.erase_view),
                name="comments_comment_erase",
            ),
            path(
                "<path:object_id>/email/",
                self.admin_site.admin_view(self.email_reply_view),
                name="comments_comment_email",
            ),
        ] + super().get_urls()

    def email_reply_view(self, request, object_id):
        return admin_email.email_reply_view(self, request, object_id)

    def erase_view(self, request):
        return admin_erase.erase_view(self, request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_moderate": self.has_moderate_permission(request),
            "erase_url": reverse("admin:comments_comment_erase"),
        }
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, object_id) if object_id else None
        extra_context = {
            **(extra_context or {}),
            "reply_guidance": reply_templates.GUIDANCE,
            "reply_templates": reply_templates.TEMPLATES,
            "reply_templates_json": {t.key: t.text for t in reply_templates.TEMPLATES},
            "suggested_templates": reply_templates.suggested_for(obj.risk_flags if obj else []),
            "email_reply_url": (
                reverse("admin:comments_comment_email", args=[obj.pk])
                if obj and admin_email.can_email(obj) and self.has_moderate_permission(request)
                else ""
            ),
        }
        return super().changeform_view(request, object_id, form_url, extra_context)


admin.site.register(BlockedTerm, BlockedTermAdmin)
