import re

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.revision_fields import RevisionFields


class SectionKey(models.TextChoices):
    """The standard sections, in reading order: the template a new article can start from
    (any other key is allowed too)."""

    OVERVIEW = "overview", "Overview"
    KEY_FACTS = "key-facts", "Key facts"
    MECHANISM = "mechanism", "Mechanism of action"
    STUDIES = "studies", "Scientific studies"
    EXPERIENCES = "experiences", "User experiences"
    RISKS = "risks", "Risks and side effects"
    ALTERNATIVES = "alternatives", "Alternative treatments"
    FAQ = "faq", "Frequently asked questions"


# Ids the article page gives its own parts: a section's key is its id (and the start of the
# ids inside it), so a key may not take one of these or start a family of them.
PAGE_IDS = {
    "article", "certainty-explained", "changes", "comments", "contents", "evidence-levels",
    "feedback", "how-sure", "id", "main", "not-sent", "references", "share", "title", "true",
    "your-comment",
}  # fmt: skip
PAGE_ID_FAMILIES = ("comment", "crisis", "outcome", "reason", "ref", "update")
SECTION_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SECTION_KEY_LENGTH = 40


def section_key_problem(key):
    """Why `key` cannot be a section key, or None. Any short lowercase slug unique in its
    article will do, except the ids the page uses for itself."""
    if not SECTION_KEY.match(key or ""):
        return (
            f"“{key[:40]}” is not a section key: use lowercase letters, digits and single "
            "hyphens, as in “living-with-it”."
        )
    if len(key) > SECTION_KEY_LENGTH:
        return f"A section key has at most {SECTION_KEY_LENGTH} characters."
    family = key.split("-")[0]
    if key in PAGE_IDS or family in PAGE_ID_FAMILIES:
        return f"“{key}” is a name the page uses for itself: choose another key."
    return None


def validate_section_key(key):
    problem = section_key_problem(key)
    if problem:
        raise ValidationError(problem, code="section_key")


class ArticleStatus(models.TextChoices):
    """Where an article is on its way to readers. Only a published one is public."""

    DRAFT = "draft", "Draft"
    AWAITING_REVIEW = "awaiting-review", "Awaiting medical review"
    PUBLISHED = "published", "Published"


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ArticleStatus.PUBLISHED)

    def review_overdue(self, on=None):
        """Published articles whose signed review fell due before `on` (default today)."""
        on = on or timezone.localdate()
        return self.published().filter(last_review__next_review_due__lt=on)

    def for_page(self):
        """What the page shows about the people behind it, in two more queries at most."""
        return self.select_related("last_review__reviewer")


class Article(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.TextField(help_text="One or two plain sentences: shown under the title.")
    authors = models.ManyToManyField(
        "people.Profile",
        related_name="articles",
        help_text="Staff who wrote it: readers see their public names and credentials.",
    )
    status = models.CharField(
        max_length=20,
        choices=ArticleStatus.choices,
        default=ArticleStatus.DRAFT,
        help_text="Only a published article is public. Publishing needs a current medical "
        "review unless you may publish before review.",
    )
    published = models.DateField(
        "first published",
        null=True,
        blank=True,
        editable=False,
        help_text="Set when the article is first published.",
    )
    updated = models.DateField(
        default=timezone.localdate, help_text="When readers last saw a change in the content."
    )
    crisis_section = models.CharField(
        "crisis box in section",
        max_length=SECTION_KEY_LENGTH,
        blank=True,
        help_text="The key of the section that shows the crisis lines under its heading "
        "(“risks”, say), or empty for none. They are always at the end of the page too.",
    )
    content_changed = models.DateTimeField(
        default=timezone.now,
        editable=False,
        help_text="When the text last changed: compared with the last medical review.",
    )
    last_review = models.ForeignKey(
        "Review",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text="The latest review a reviewer signed.",
    )
    # The authors as the page shows them (name, credentials, team page link), kept in step
    # with the profiles by articles.signals: the page reads no profile table.
    byline = models.JSONField(default=list, blank=True, editable=False)
    # Rendered with the sections (numbering follows first use across the article).
    references_html = models.TextField(blank=True, editable=False)
    evidence = models.JSONField(default=dict, blank=True, editable=False)
    # "What changed": date and note of each revision an editor marked public.
    public_changes = models.JSONField(default=list, blank=True, editable=False)
    # The page readers see between the review banners and the share links, and its
    # JSON-LD in two parts around the page's address: rendered on write (articles.page).
    body_html = models.TextField(blank=True, editable=False)
    json_ld = models.JSONField(default=list, blank=True, editable=False)
    # The whole page of a published article with its slots, and the digest of the
    # templates, static files and settings it was rendered with (articles.page).
    # Stored as UTF-8 bytes: filled in and sent without decoding or encoding it again.
    reader_page = models.BinaryField(blank=True, default=b"")
    reader_page_format = models.CharField(max_length=64, blank=True, editable=False)
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
            "byline",
            "body_html",
            "json_ld",
            "reader_page",
            "reader_page_format",
            # A revert restores text, never an older review state: a signature stays.
            "last_review",
        ],
    )
    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "title"]
        permissions = [
            ("review_article", "Can sign an article's medical review"),
            ("publish_before_review", "Can publish an article before its medical review"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ArticleStatus.values), name="article_status_known"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.slug])

    @property
    def is_public(self):
        return self.status == ArticleStatus.PUBLISHED

    @property
    def reviewed_at(self):
        return self.last_review.signed_at if self.last_review_id else None

    @property
    def next_review_due(self):
        return self.last_review.next_review_due if self.last_review_id else None

    @property
    def changed_since_review(self):
        """True when the content changed after the last signed review (never: no)."""
        return self.last_review_id is not None and self.content_changed > self.reviewed_at

    @property
    def review_overdue(self):
        due = self.next_review_due
        return due is not None and due < timezone.localdate()

    @property
    def review_current(self):
        """A signed review covers what readers see, and is not past due."""
        return (
            self.last_review_id is not None
            and not self.changed_since_review
            and not self.review_overdue
        )


class Review(models.Model):
    """A medical review a reviewer signed in the admin: the only source of a reviewer's
    name and a review date on a page."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey("people.Profile", on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)
    next_review_due = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    # Reminder kinds already emailed for this review ("30", "7", "0", "overdue").
    reminders_sent = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-signed_at"]
        get_latest_by = "signed_at"

    def __str__(self):
        return f"{self.article} reviewed by {self.reviewer} on {self.signed_at:%Y-%m-%d}"


class Section(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(
        max_length=SECTION_KEY_LENGTH,
        validators=[validate_section_key],
        help_text="Its address on the page (#key) and in content/: lowercase letters, digits "
        "and hyphens, once per article.",
    )
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
        ]

    def __str__(self):
        return f"{self.article.title}: {self.title}"

    def save(self, *args, rerender=True, **kwargs):
        """Save, then re-render the whole article (numbering spans sections).

        rerender=False lets a bulk import render once at the end.
        """
        text_changed = getattr(self, "_saved_text", None) != (self.title, self.body_markdown)
        # One transaction: the cached pages are retired when it commits (articles.signals),
        # after the new HTML is stored, also for a save from a script.
        with transaction.atomic():
            super().save(*args, **kwargs)
            if text_changed and rerender:
                from .reviews import mark_content_changed

                mark_content_changed(self.article)
            if rerender:
                from .rerendering import rerender as rerender_article

                rerender_article(self.article)
        self._saved_text = (self.title, self.body_markdown)

    def get_absolute_url(self):
        return self.article.get_absolute_url() + f"#{self.key}"

    def delete(self, *args, rerender=True, **kwargs):
        """Delete, then re-render the article (numbering, references and back-links
        follow) and count it as a change since the last medical review.

        rerender=False lets the article screen render once after all its changes."""
        from .rerendering import rerender as rerender_article
        from .reviews import mark_content_changed

        article = self.article
        result = super().delete(*args, **kwargs)
        if article.crisis_section == self.key:
            # The crisis lines stay at the end of the page; no section names them now.
            Article.objects.filter(pk=article.pk).update(crisis_section="")
            article.crisis_section = ""
        if rerender:
            rerender_article(article)
            mark_content_changed(article)
        return result

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._saved_text = (
            instance.__dict__.get("title"),
            instance.__dict__.get("body_markdown"),
        )
        return instance


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
