import datetime
import re

import textstat
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from citations.models import Citation
from core.revisions import RevisionAdmin, RevisionForm, note_limit

from .content_files import SectionText
from .history import refresh_public_changes
from .models import Article, Feedback, Section
from .publishing import citation_index
from .rendering import plain
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
    class Meta:
        model = Article
        fields = ["title", "slug", "summary", "author", "reviewer", "published"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def clean_summary(self):
        # One line in content/ front matter: line breaks would not survive an export.
        return " ".join(self.cleaned_data["summary"].split())


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


class ReviewStatusFilter(admin.SimpleListFilter):
    title = "medical review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", "Due within 30 days or overdue"), ("overdue", "Overdue")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.review_due(today - datetime.timedelta(days=1))
        if self.value() == "due":
            return queryset.review_due(today + datetime.timedelta(days=30))
        return queryset


def date_input():
    # <input type="date"> only accepts ISO dates: with the locale's 27/11/2026 the
    # browser would show an empty field and the reviewer would have to type both dates.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReviewForm(forms.Form):
    reviewer = forms.CharField(label="Reviewed by", max_length=200)
    reviewed_on = forms.DateField(label="Reviewed on", widget=date_input())
    next_review_due = forms.DateField(label="Next review due", widget=date_input())
    note = forms.CharField(label="Review note", max_length=300, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reviewed_on") and cleaned.get("next_review_due"):
            if cleaned["next_review_due"] <= cleaned["reviewed_on"]:
                self.add_error("next_review_due", "The next review must come after this one.")
        if cleaned.get("reviewer"):
            reason = review_reason(cleaned["reviewer"], cleaned.get("note", ""))
            limit = note_limit(Article)
            if limit and len(reason) > limit:
                field = "note" if cleaned.get("note") else "reviewer"
                self.add_error(
                    field,
                    f"The history keeps {limit} characters for “{reason[:30]}…”: "
                    f"shorten this by {len(reason) - limit}.",
                )
        return cleaned


def review_reason(reviewer, note):
    """The change note a review leaves in the article's history."""
    return f"Medically reviewed by {reviewer}" + (f": {note}" if note else "")


@admin.register(Article)
class ArticleAdmin(RevisionAdmin):
    form = ArticleForm
    list_display = ["title", "published", "updated", "review_status", "next_review_due"]
    list_filter = [ReviewStatusFilter, "published"]
    search_fields = ["title", "summary"]
    readonly_fields = ["reviewed_on", "next_review_due", "reviewed_by", "updated"]
    inlines = [SectionInline]
    prepopulated_fields = {"slug": ["title"]}

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": ["title", "slug", "summary", "author", "reviewer", "published"]}),
            (
                "Medical review",
                {"fields": ["reviewed_on", "next_review_due", "reviewed_by", "updated"]},
            ),
            self.revision_fieldset,
        ]

    @admin.display(description="Review")
    def review_status(self, article):
        if article.review_overdue:
            return mark_safe('<span class="review-due">Overdue</span>')
        if article.changed_since_review:
            return "Changed since review"
        return "Reviewed" if article.reviewed_on else "Not reviewed"

    def save_model(self, request, obj, form, change):
        # Compared with the database, not with the form's initial values: a revert form
        # starts from the old revision, so form.changed_data would miss a reverted text.
        saved = Article.objects.filter(pk=obj.pk).values_list("title", "summary").first()
        if saved != (obj.title, obj.summary):
            obj.content_changed = timezone.now()
            obj.updated = timezone.localdate()
        super().save_model(request, obj, form, change)
        if form.cleaned_data.get("public_change"):
            transaction.on_commit(lambda: refresh_public_changes(obj))

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None and request.user.has_perm("articles.review_article"):
            context["review_url"] = reverse("admin:articles_article_review", args=[obj.pk])
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def get_urls(self):
        return [
            path(
                "<int:pk>/review/",
                self.admin_site.admin_view(self.review_view),
                name="articles_article_review",
            )
        ] + super().get_urls()

    @transaction.atomic
    def review_view(self, request, pk):
        """Reviewers mark an article medically reviewed: who, when, next review due."""
        if not request.user.has_perm("articles.review_article"):
            raise PermissionDenied
        article = get_object_or_404(Article.objects.select_for_update(), pk=pk)
        today = timezone.localdate()
        initial = {
            "reviewer": request.user.get_full_name() or article.reviewer or request.user.username,
            "reviewed_on": today,
            "next_review_due": today + datetime.timedelta(days=182),
        }
        form = ReviewForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            article.reviewer = data["reviewer"]
            article.reviewed_on = data["reviewed_on"]
            article.next_review_due = data["next_review_due"]
            article.reviewed_by = request.user
            article.reviewed_at = timezone.now()
            article.version += 1
            article._change_reason = review_reason(data["reviewer"], data["note"])
            article.save()
            messages.success(request, f"“{article}” is marked reviewed on {data['reviewed_on']}.")
            return redirect("admin:articles_article_change", article.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Mark “{article}” medically reviewed",
            "article": article,
            "form": form,
        }
        return TemplateResponse(request, "admin/articles/article/review.html", context)


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
        if self.preview_requested:
            self.preview_html = self.rendered.html
            raise forms.ValidationError("Preview only: not saved.", code="preview")
        return cleaned


@admin.register(Section)
class SectionAdmin(RevisionAdmin):
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
        if form.cleaned_data.get("public_change"):
            transaction.on_commit(lambda: refresh_public_changes(obj.article))

    @admin.display(description="Reading grade")
    def reading_grade(self, obj):
        result = readability(obj.body_html)
        return result["grade"] if result else "—"


# Feedback -------------------------------------------------------------------------------


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
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
