from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from citations.models import Citation
from core.changelist import ModelAdmin
from core.revisions import RevisionAdmin, RevisionForm, note_limit
from people.models import Profile

from .article_editor import (
    STANDARD,
    START_CHOICES,
    SectionInline,
    save_sections,
    start_of,
)
from .models import Article, ArticleStatus, Feedback, Section
from .public_changes import refresh_public_changes
from .review_admin import ReviewAdminMixin, ReviewStatusFilter
from .reviews import mark_content_changed, may_publish
from .section_admin import SectionAdmin
from .section_deletion import deleted_sections

# Articles -------------------------------------------------------------------------------


class ArticleForm(RevisionForm):
    """What an editor sets. Who reviewed it, and when, are not fields: only a reviewer's
    signature (ReviewAdminMixin) sets them."""

    # Set by ArticleAdmin.get_form: publishing depends on who asks; a preview needs no
    # note; a revert always saves.
    user = None
    preview_requested = False
    reverting = False

    class Meta:
        model = Article
        fields = ["title", "slug", "summary", "authors", "status", "crisis_section"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "authors": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.before_review = False
        if "authors" in self.fields:
            # Placeholders made by an import stay choosable: they are the current authors.
            self.fields["authors"].queryset = Profile.objects.select_related("user")
        if self.preview_requested:
            self.fields["change_note"].required = False

    @property
    def article_changed(self):
        """Whether this save changes the article's own fields (not only its sections)."""
        own = ArticleForm.Meta.fields  # not the note and version the admin adds
        return self.reverting or any(name in own for name in self.changed_data)

    def needs_version_check(self):
        # Saving only sections leaves the article as it is: two editors may work on
        # different sections at once (each section has its own version check).
        return self.instance.pk is not None and self.article_changed

    def clean_crisis_section(self):
        return self.cleaned_data["crisis_section"].strip()

    def clean_summary(self):
        # One line in content/ front matter: line breaks would not survive an export.
        return " ".join(self.cleaned_data["summary"].split())

    def clean_status(self):
        status = self.cleaned_data["status"]
        was_public = (
            self.instance.pk is not None
            and Article.objects.filter(pk=self.instance.pk, status=ArticleStatus.PUBLISHED).exists()
        )
        if status != ArticleStatus.PUBLISHED or was_public:
            return status
        allowed, self.before_review = may_publish(self.user, self.instance)
        if not allowed:
            raise forms.ValidationError(
                "This article has no current medical review, so it cannot be published "
                "yet. Save it as “Awaiting medical review”: a reviewer signs the review, "
                "then it can be published."
            )
        return status


@admin.register(Article)
class ArticleAdmin(ReviewAdminMixin, RevisionAdmin):
    form = ArticleForm
    change_form_template = "admin/articles/article/change_form.html"
    list_display = ["title", "status", "published", "updated", "review_status", "due"]
    list_filter = [ReviewStatusFilter, "status"]
    search_fields = ["title", "summary"]
    readonly_fields = ["published", "updated", "medical_review"]
    inlines = [SectionInline]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("last_review__reviewer")

    def get_fieldsets(self, request, obj=None):
        fields = ["title", "slug", "summary", "authors", "status", "crisis_section"]
        if obj is None:
            return [(None, {"fields": fields}), self.revision_fieldset]
        return [
            (None, {"fields": fields}),
            ("Medical review", {"fields": ["medical_review", "published", "updated"]}),
            self.revision_fieldset,
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        form.preview_requested = request.method == "POST" and "_preview" in request.POST
        form.reverting = getattr(request, "reverting", False)
        return form

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if start_of(request) == STANDARD:
            initial.setdefault("crisis_section", "risks")
        return initial

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request.reverting = True  # a revert saves the article even if it looks unchanged
        return super().history_form_view(request, object_id, version_id, extra_context)

    @admin.display(description="Medical review")
    def medical_review(self, article):
        review = article.last_review
        if review is None:
            return "Not medically reviewed yet: the page says so at the top."
        text = (
            f"Signed by {review.reviewer.credit} on {review.signed_at:%-d %B %Y}; "
            f"next review due {review.next_review_due:%-d %B %Y}."
        )
        if article.changed_since_review:
            text += " Changed since this review."
        return text

    @admin.display(description="Next review due", ordering="last_review__next_review_due")
    def due(self, article):
        return article.next_review_due

    @admin.display(description="Review")
    def review_status(self, article):
        url = reverse("admin:articles_article_review", args=[article.pk])
        if article.review_overdue:
            return format_html('<a href="{}"><span class="review-due">Overdue</span></a>', url)
        if article.changed_since_review:
            return format_html('<a href="{}">Changed since review</a>', url)
        if article.last_review_id:
            return format_html('<a href="{}">Reviewed</a>', url)
        return format_html('<a href="{}">Not reviewed</a>', url)

    def save_model(self, request, obj, form, change):
        transaction.on_commit(lambda: refresh_public_changes(obj))
        if change and not form.article_changed:
            # Only sections changed: they carry this save's note (save_formset), and the
            # article keeps its version, so nobody editing it meanwhile is refused.
            return
        # Compared with the database, not with the form's initial values: a revert form
        # starts from the old revision, so form.changed_data would miss a reverted text.
        saved = Article.objects.filter(pk=obj.pk).values_list("title", "summary").first()
        content_changed = saved is not None and saved != (obj.title, obj.summary)
        if obj.is_public and obj.published is None:
            obj.published = timezone.localdate()
        if getattr(form, "before_review", False):
            # Recorded in the history: who published it before any reviewer signed.
            note = "Published before medical review: " + form.cleaned_data.get("change_note", "")
            form.cleaned_data["change_note"] = note[: note_limit(Article) or None]
        super().save_model(request, obj, form, change)
        if content_changed:
            mark_content_changed(obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Section:
            return super().save_formset(request, form, formset, change)
        save_sections(
            formset,
            form.cleaned_data.get("change_note", ""),
            form.cleaned_data.get("public_change", False),
        )
        if formset.claim_warnings:
            unchecked = formset.claim_warnings
            messages.warning(
                request,
                f"{len(unchecked)} claim(s) are not yet checked against their sources: "
                f"{'; '.join(str(w) for w in unchecked[:5])}",
            )

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        sections = next(
            (f for f in context.get("inline_admin_formsets", []) if f.formset.model is Section),
            None,
        )
        if sections is not None:
            self.sections_context(request, context, sections.formset, obj)
        if obj is not None:
            # Everyone who may see the article may read what changed; reviewers sign there.
            context["review_url"] = reverse("admin:articles_article_review", args=[obj.pk])
            context["may_sign"] = request.user.has_perm("articles.review_article")
        context["overdue_url"] = reverse("admin:articles_article_overdue")
        if obj is not None:
            context["deleted_sections"] = deleted_sections(obj)
            # Where editors check claims against sources and keep the outcomes.
            context["support_url"] = reverse("admin:citations_claimsupport_article", args=[obj.pk])
            context["outcomes_url"] = (
                reverse("admin:certainty_outcome_changelist") + f"?article__id__exact={obj.pk}"
            )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def get_urls(self):
        return self.review_urls() + super().get_urls()

    def sections_context(self, request, context, formset, obj):
        """The preview, the reading grades and the way a new article starts."""
        if formset.only_preview and not context["adminform"].form.errors:
            context["errors"] = []  # a preview is not an error
        # Grades come with a preview only: the first grade in a process loads textstat's
        # dictionaries (seconds on a busy machine), which opening the form should not.
        context["article_preview"] = formset.preview
        context["show_article_preview"] = (
            self.has_add_permission(request)
            if obj is None
            else self.has_change_permission(request, obj)
        )
        if context["show_article_preview"]:
            # The keys to cite with, beside the sections' text.
            context["citation_keys"] = Citation.objects.order_by("key")
        if obj is None:
            context["start"] = start_of(request)
            context["start_choices"] = START_CHOICES


# Sections: listed for search; edited on the article screen (or on their own form) -------

admin.site.register(Section, SectionAdmin)


# Feedback -------------------------------------------------------------------------------


@admin.register(Feedback)
class FeedbackAdmin(ModelAdmin):
    list_display = ["article", "answer", "reason", "day"]
    list_filter = ["helpful", "article", "day"]
    search_fields = ["reason"]
    date_hierarchy = "day"
    exclude = ["visitor"]

    @admin.display(description="Helped?", boolean=True, ordering="helpful")
    def answer(self, obj):
        return obj.helpful

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        totals = Article.objects.annotate(
            yes=Count("feedback", filter=Q(feedback__helpful=True)),
            no=Count("feedback", filter=Q(feedback__helpful=False)),
        ).filter(Q(yes__gt=0) | Q(no__gt=0))
        extra_context = {**(extra_context or {}), "totals": totals}
        return super().changelist_view(request, extra_context)
