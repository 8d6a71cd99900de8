import math

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.history import RevisionFields


class SectionKey(models.TextChoices):
    """The sections an article is made of, in reading order."""

    OVERVIEW = "overview", "Overview"
    KEY_FACTS = "key-facts", "Key facts"
    MECHANISM = "mechanism", "Mechanism of action"
    STUDIES = "studies", "Scientific studies"
    EXPERIENCES = "experiences", "User experiences"
    RISKS = "risks", "Risks and side effects"
    ALTERNATIVES = "alternatives", "Alternative treatments"
    FAQ = "faq", "Frequently asked questions"


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published__isnull=False, published__lte=timezone.localdate())

    def review_due(self, on=None):
        on = on or timezone.localdate()
        return self.filter(
            models.Q(next_review_due__isnull=True) | models.Q(next_review_due__lte=on)
        )


class Article(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.TextField(help_text="One or two plain sentences: shown under the title.")
    author = models.CharField(max_length=200)
    reviewer = models.CharField("medical reviewer", max_length=200, blank=True)
    reviewed_on = models.DateField("medically reviewed on", null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The reviewer who last marked this article reviewed in the admin.",
    )
    published = models.DateField(null=True, blank=True, help_text="Empty: a draft, not shown.")
    updated = models.DateField(
        default=timezone.localdate, help_text="When readers last saw a change in the content."
    )
    content_changed = models.DateTimeField(
        default=timezone.now,
        editable=False,
        help_text="When the text last changed: compared with the last medical review.",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Rendered with the sections (numbering follows first use across the article).
    references_html = models.TextField(blank=True, editable=False)
    evidence = models.JSONField(default=dict, blank=True, editable=False)
    # "What changed": date and note of each revision an editor marked public.
    public_changes = models.JSONField(default=list, blank=True, editable=False)
    imported_hash = models.CharField(max_length=64, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(
        bases=[RevisionFields],
        excluded_fields=[
            "imported_hash",
            "content_changed",
            "references_html",
            "evidence",
            "public_changes",
            "reviewed_at",
        ],
    )
    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "title"]
        permissions = [("review_article", "Can mark an article medically reviewed")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.slug])

    @property
    def changed_since_review(self):
        """True when the text changed after the last medical review (never reviewed: no)."""
        return self.reviewed_at is not None and self.content_changed > self.reviewed_at

    @property
    def review_overdue(self):
        return self.next_review_due is not None and self.next_review_due < timezone.localdate()


class Section(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=20, choices=SectionKey.choices)
    title = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    body_markdown = models.TextField("text (Markdown)", blank=True)
    # Rendered on save, always the output of the sanitizer; readers' requests only read it.
    body_html = models.TextField(blank=True, editable=False)
    # Claims per evidence level, for the one-line summary under the section heading.
    evidence = models.JSONField(default=dict, blank=True, editable=False)
    faq = models.JSONField(default=list, blank=True, editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    imported_hash = models.CharField(max_length=64, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        bases=[RevisionFields],
        excluded_fields=["body_html", "evidence", "faq", "word_count", "imported_hash"],
    )

    class Meta:
        ordering = ["article", "order"]
        constraints = [
            models.UniqueConstraint(fields=["article", "key"], name="unique_section_key"),
            models.CheckConstraint(
                condition=models.Q(key__in=SectionKey.values), name="section_key_known"
            ),
        ]

    def __str__(self):
        return f"{self.article.title}: {self.title}"

    def save(self, *args, publish=True, **kwargs):
        """Save, then re-render the whole article (numbering spans sections).

        publish=False lets a bulk import render once at the end.
        """
        text_changed = getattr(self, "_saved_text", None) != (self.title, self.body_markdown)
        # One transaction: the cached pages are retired when it commits (articles.signals),
        # after the new HTML is stored, also for a save from a script.
        with transaction.atomic():
            super().save(*args, **kwargs)
            if text_changed and publish:
                now = timezone.now()
                Article.objects.filter(pk=self.article_id).update(
                    content_changed=now, updated=timezone.localdate()
                )
            if publish:
                from .publishing import publish as publish_article

                publish_article(self.article)
        self._saved_text = (self.title, self.body_markdown)

    def get_absolute_url(self):
        return self.article.get_absolute_url() + f"#{self.key}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._saved_text = (
            instance.__dict__.get("title"),
            instance.__dict__.get("body_markdown"),
        )
        return instance

    @property
    def reading_minutes(self):
        return max(1, math.ceil(self.word_count / 220))


class Feedback(models.Model):
    """An answer to "Did this article help you?"."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField()
    reason = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(default=timezone.now)
    day = models.DateField(default=timezone.localdate)
    # A keyed hash of the client's address, the day and a slot number: a few answers per
    # address a day (articles.views.store_answer), without a cookie or an address.
    visitor = models.CharField(max_length=64)
    # Never looked up from the admin's query string (see core.changelist).
    admin_hidden_fields = ("visitor",)

    class Meta:
        ordering = ["-created"]
        verbose_name_plural = "feedback"
        constraints = [
            models.UniqueConstraint(fields=["article", "day", "visitor"], name="one_vote_a_day"),
        ]

    def __str__(self):
        return f"{'Yes' if self.helpful else 'No'} on {self.article} ({self.day})"
