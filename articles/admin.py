import re

import textstat
from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from citations.models import Citation
from core.changelist import ModelAdmin
from core.revisions import RevisionAdmin, RevisionForm, note_limit
from people.models import Profile

from .claim_rules import context_for, unchecked_warnings
from .content_files import SectionText
from .models import Article, ArticleStatus, Feedback, Section
from .public_changes import refresh_public_changes
from .rendering import plain
from .rerendering import citation_index
from .review_admin import ReviewAdminMixin, ReviewStatusFilter
from .reviews import mark_content_changed, may_publish
from .section_deletion import SectionDeletionMixin, deleted_sections
from .validation import check_sections

HARD_GRADE = 9


def readability(html):
    """Word count and Flesch–Kincaid grade of rendered text (markers left out)."""
    text = plain(re.sub(r"<sup[^>]*>.*?</sup>", "", html or "", flags=re.S))
    if not text:
        return None
    grade = round(textstat.flesch_kincaid_grade(text), 1)
    return {"words": len(text.split()), "grade": grade, "hard": grade > HARD_GRADE}


# Articles -------------------------------------------------------------------------------


class ArticleForm(RevisionForm):
    """What an editor sets. Who reviewed it, and when, are not fields: only a reviewer's
    signature (ReviewAdminMixin) sets them."""

    user = None  # set by ArticleAdmin.get_form: publishing depends on who asks

    class Meta:
        model = Article
        fields = ["title", "slug", "summary", "authors", "status"]
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


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["order", "key", "title", "word_count"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["order"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(ReviewAdminMixin, RevisionAdmin):
    form = ArticleForm
    list_display = ["title", "status", "published", "updated", "review_status", "due"]
    list_filter = [ReviewStatusFilter, "status"]
    search_fields = ["title", "summary"]
    readonly_fields = ["published", "updated", "medical_review"]
    inlines = [SectionInline]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("last_review__reviewer")

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": ["title", "slug", "summary", "authors", "status"]}),
            ("Medical review", {"fields": ["medical_review", "published", "updated"]}),
            self.revision_fieldset,
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

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
        transaction.on_commit(lambda: refresh_public_changes(obj))

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
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


# Sections -------------------------------------------------------------------------------


class SectionForm(RevisionForm):
    preview_requested = False

    class Meta:
        model = Section
        fields = ["article", "key", "title", "order", "body_markdown"]
        widgets = {"body_markdown": forms.Textarea(attrs={"class": "markdown-editor", "rows": 30})}
        help_texts = {
            "body_markdown": mark_safe(
                "Markdown. Cite a claim with <code>[@key]</code> or <code>[@a; @b]</code> "
                "right after it; FAQ questions are <code>### Question?</code>; notes are "
                '<code>!!! note "What the research shows"</code> with the text indented '
                "four spaces. Raw HTML is not allowed."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.preview_html = None
        self.rendered = None
        if self.preview_requested:
            self.fields["change_note"].required = False

    def clean_body_markdown(self):
        text = self.cleaned_data["body_markdown"].replace("\r\n", "\n").replace("\r", "\n")
        return text.strip("\n")

    def clean(self):
        cleaned = super().clean()
        article = cleaned.get("article") or getattr(self.instance, "article", None)
        if self.errors or article is None:
            return cleaned
        edited = SectionText(
            key=cleaned["key"], title=cleaned["title"], body=cleaned["body_markdown"]
        )
        others = [s for s in article.sections.all() if s.pk != self.instance.pk]
        clash = next((s for s in others if s.key == cleaned["key"]), None)
        if clash is not None:
            # The model's constraint would not be checked on the change form (the article
            # is read-only there, so Django leaves the constraint out): the save would fail.
            self.add_error(
                "key",
                f"The article already has a section with the key “{clash.key}” "
                f"(“{clash.title}”): each key is used once.",
            )
            return cleaned
        ordered = sorted(
            [*others, edited], key=lambda s: cleaned["order"] if s is edited else s.order
        )
        # The claim rules need the article's outcomes and support checks.
        context = context_for(article)
        for section in ordered:
            section.claim_context = context
        # The same rules as `manage.py check_content`, with the same messages.
        problems, rendered = check_sections(ordered, citation_index())
        mine = [str(p) for p in problems if p.section == edited.key]
        if rendered is None:
            titles = {s.key: s.title for s in others}
            mine += [f"{titles[p.section]}: {p}" for p in problems if p.section in titles]
        if mine:
            self.add_error("body_markdown", mine)
            return cleaned
        self.rendered = rendered[ordered.index(edited)]
        self.claim_warnings = unchecked_warnings(edited, self.rendered, context)
        if self.preview_requested:
            self.preview_html = self.rendered.html
            raise forms.ValidationError("Preview only: not saved.", code="preview")
        return cleaned


@admin.register(Section)
class SectionAdmin(SectionDeletionMixin, RevisionAdmin):
    form = SectionForm
    list_display = ["__str__", "key", "order", "word_count", "reading_grade", "updated"]
    list_filter = ["article"]
    search_fields = ["title", "body_markdown"]
    ordering = ["article", "order"]
    view_on_site = True

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": ["article", "key", "title", "order", "body_markdown"]}),
            self.revision_fieldset,
        ]

    def get_readonly_fields(self, request, obj=None):
        return ["article"] if obj else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.preview_requested = request.method == "POST" and "_preview" in request.POST
        return form

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        form = context["adminform"].form
        errors = form.errors.as_data()
        only_preview = form.preview_html is not None and all(
            e.code == "preview" for errs in errors.values() for e in errs
        )
        if only_preview:
            context["errors"] = []
            context["preview_html"] = mark_safe(form.preview_html)  # the sanitizer's output
            context["readability"] = readability(form.preview_html)
        elif obj is not None:
            context["readability"] = readability(obj.body_html)
        # The admin adds has_change_permission to the context only after this method.
        context["show_preview"] = (
            self.has_add_permission(request)
            if obj is None
            else self.has_change_permission(request, obj)
        )
        context["citation_keys"] = Citation.objects.order_by("key")
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Every save: a revert or a restore may undo a change listed on the page.
        transaction.on_commit(lambda: refresh_public_changes(obj.article))
        unchecked = getattr(form, "claim_warnings", [])
        if unchecked:
            messages.warning(
                request,
                f"{len(unchecked)} claim(s) in this section are not yet checked against their "
                f"sources: {'; '.join(str(w) for w in unchecked[:5])}",
            )

    @admin.display(description="Reading grade")
    def reading_grade(self, obj):
        result = readability(obj.body_html)
        return result["grade"] if result else "—"


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
