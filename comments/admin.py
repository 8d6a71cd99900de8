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
from django.db.models import F
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from core.cache import bump_content_version

from . import moderation, reply_templates, stale
from .models import BlockedTerm, Comment, ModerationDecision, RiskFlag, Status
from .rendering import render_plain_text
from .risk import WEIGHTS, assess
from .spam import normalise_domain

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
class CommentAdmin(admin.ModelAdmin):
    form = CommentModerationForm
    change_form_template = "admin/comments/comment/change_form.html"
    change_list_template = "admin/comments/comment/change_list.html"
    list_display = [
        "excerpt",
        "display_name",
        "article",
        "status",
        "needs_care",
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
        checks = ["needs_care", "spam_reason", "report_count"]
        decision = ["status", "moderation_note", "moderated_by", "moderated_at", "erased_at"]
        if self.has_moderate_permission(request) and obj and not obj.erased_at:
            decision.append("opened_version")
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

    # Columns ---------------------------------------------------------------------------

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
        return obj.name

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

    @admin.display(description="text")
    def text(self, obj):
        return format_html('<div class="comment-text">{}</div>', render_plain_text(obj.body))

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
        self._decide(request, queryset, moderation.reject, "rejected")

    @admin.action(permissions=["moderate"], description="Mark as spam")
    def mark_spam(self, request, queryset):
        self._decide(request, queryset, moderation.mark_spam, "marked as spam")

    @admin.action(permissions=["moderate"], description="Release from spam (back to the queue)")
    def release(self, request, queryset):
        self._decide(request, queryset, moderation.release, "released to the queue")

    @admin.action(permissions=["moderate"], description="Erase the commenters' data")
    def erase_selected(self, request, queryset):
        self._decide(request, queryset, moderation.erase, "erased")

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
            transaction.on_commit(bump_content_version)
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
        ] + super().get_urls()

    def erase_view(self, request):
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        form = EraseForm(request.POST or None)
        matches = None
        if request.method == "POST" and form.is_valid():
            email = form.cleaned_data["email"]
            if form.cleaned_data.get("confirm"):
                count = moderation.erase_by_email(email, request.user)
                self.message_user(
                    request,
                    f"Erased the data of {count} comment{'s' if count != 1 else ''} "
                    "left with that email address.",
                )
                return redirect("admin:comments_comment_changelist")
            matches = Comment.objects.filter(email__iexact=email, is_editorial=False).count()
        context = {
            **self.admin_site.each_context(request),
            "title": "Erase a commenter's data",
            "opts": self.model._meta,
            "form": form,
            "matches": matches,
        }
        return TemplateResponse(request, "admin/comments/comment/erase.html", context)

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
        }
        return super().changeform_view(request, object_id, form_url, extra_context)


class EraseForm(forms.Form):
    email = forms.EmailField(label="The commenter's email address")
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


@admin.register(BlockedTerm)
class BlockedTermAdmin(admin.ModelAdmin):
    list_display = ["value", "kind", "note", "created"]
    list_filter = ["kind"]
    search_fields = ["value", "note"]
    fields = ["kind", "value", "note"]

    def save_model(self, request, obj, form, change):
        obj.value = (
            normalise_domain(obj.value)
            if obj.kind == BlockedTerm.Kind.DOMAIN
            else obj.value.strip()
        )
        super().save_model(request, obj, form, change)
