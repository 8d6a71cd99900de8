"""The reviewer's side of the article admin: sign a medical review, see what is overdue."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from core.revisions import note_limit
from people.models import PLACEHOLDER_NAME, profile_for

from .models import Article
from .review_changes import changes_since_review
from .reviews import REVIEW_INTERVAL, review_note, sign_review


def date_input():
    # <input type="date"> only accepts ISO dates: with the locale's 27/11/2026 the
    # browser would show an empty field and the reviewer would have to type the date.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReviewForm(forms.Form):
    """What a reviewer signs. Who and when are not fields: they are the signed-in
    reviewer's profile and the moment of signing."""

    checked = forms.BooleanField(
        label="I have checked the whole article against its sources, and nothing in it "
        "could lead a reader into harm.",
        error_messages={"required": "Tick this to sign: a review is your confirmation."},
    )
    next_review_due = forms.DateField(label="Next review due", widget=date_input())
    note = forms.CharField(label="Review note", max_length=300, required=False)
    # The digest of the changes the page showed (rendered by the template, always the
    # current one): a signature covers what the reviewer saw, nothing saved since.
    shown = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, profile, shown="", **kwargs):
        super().__init__(*args, **kwargs)
        self.profile = profile
        self.current = shown

    def clean_shown(self):
        if self.cleaned_data["shown"] != self.current:
            raise forms.ValidationError(
                "The article changed while you were reading it, so nothing was signed. "
                "The changes below now include the latest save: read them, then sign again.",
                code="changed",
            )
        return self.cleaned_data["shown"]

    def clean_next_review_due(self):
        due = self.cleaned_data["next_review_due"]
        if due <= timezone.localdate():
            raise forms.ValidationError("The next review must come after today.")
        return due

    def clean(self):
        cleaned = super().clean()
        reason = review_note(self.profile, cleaned.get("note", ""))
        limit = note_limit(Article)
        if limit and len(reason) > limit:
            self.add_error(
                "note",
                f"The history keeps {limit} characters for “{reason[:30]}…”: "
                f"shorten this by {len(reason) - limit}.",
            )
        return cleaned


class ReviewAdminMixin:
    """Adds /<pk>/review/ (sign a review) and /overdue/ (reviews past due) to ArticleAdmin."""

    def review_urls(self):
        return [
            path(
                "<int:pk>/review/",
                self.admin_site.admin_view(self.review_view),
                name="articles_article_review",
            ),
            path(
                "overdue/",
                self.admin_site.admin_view(self.overdue_view),
                name="articles_article_overdue",
            ),
        ]

    @transaction.atomic
    def review_view(self, request, pk):
        """What changed since the last signed review, and (for reviewers) the signature.

        Editors and moderators may read it; only a reviewer may sign."""
        may_sign = request.user.has_perm("articles.review_article")
        if request.method == "POST" and not may_sign:
            raise PermissionDenied
        articles = Article.objects.select_related("last_review__reviewer")
        if request.method == "POST":
            # Locked while signing: no save slips in between the check and the signature.
            articles = articles.select_for_update(of=("self",))
        article = get_object_or_404(articles, pk=pk)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        changes = changes_since_review(article)
        profile = profile_for(request.user) if may_sign else None
        if profile is not None and profile.public_name == PLACEHOLDER_NAME:
            profile = None
        form = ReviewForm(
            request.POST if profile and request.method == "POST" else None,
            profile=profile,
            shown=changes.digest,
            initial={"next_review_due": timezone.localdate() + REVIEW_INTERVAL},
        )
        if profile is not None and request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            sign_review(article, profile, data["next_review_due"], data["note"])
            messages.success(
                request, f"You signed the medical review of “{article}” as {profile.credit}."
            )
            return redirect("admin:articles_article_change", article.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Review “{article}”",
            "article": article,
            "changes": changes,
            "may_sign": may_sign,
            "form": form,
            "profile": profile,
            "profile_url": reverse("admin:people_profile_add"),
        }
        return TemplateResponse(request, "admin/articles/article/review.html", context)

    def overdue_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Medical reviews overdue or never signed",
            "overdue": Article.objects.review_overdue().select_related("last_review__reviewer"),
            "unreviewed": Article.objects.published().filter(last_review__isnull=True),
        }
        return TemplateResponse(request, "admin/articles/article/overdue.html", context)


class ReviewStatusFilter(admin.SimpleListFilter):
    title = "medical review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("due", "Due within 30 days or overdue"),
            ("overdue", "Overdue"),
            ("never", "Never reviewed"),
        ]

    def queryset(self, request, queryset):
        import datetime

        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.review_overdue(today)
        if self.value() == "due":
            return queryset.review_overdue(today + datetime.timedelta(days=31))
        if self.value() == "never":
            return queryset.filter(last_review__isnull=True)
        return queryset
