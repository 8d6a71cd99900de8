from django.conf import settings
from django.db import models
from django.utils import timezone


class Status(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SPAM = "spam", "Spam"


class RiskFlag(models.TextChoices):
    """Why a pending comment needs a careful reply first (listed in this order)."""

    SELF_HARM = "self-harm", "Mentions self-harm or suicide"
    DOSING = "dosing", "Mentions dose amounts"
    SOURCING = "sourcing", "Mentions buying or sourcing"


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Status.APPROVED)

    def pending(self):
        """The moderation queue: risky comments first, then oldest first."""
        return self.filter(status=Status.PENDING).order_by("-risk", "created")


class Comment(models.Model):
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        help_text="Set on replies from the editorial team.",
    )
    is_editorial = models.BooleanField("reply from the editorial team", default=False)
    name = models.CharField("display name", max_length=80)
    email = models.EmailField(blank=True, help_text="Never shown. Used only to reply.")
    body = models.TextField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created = models.DateTimeField(default=timezone.now, db_index=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.TextField(blank=True)
    risk_flags = models.JSONField(default=list, blank=True)
    risk = models.PositiveSmallIntegerField(default=0, help_text="Sort weight of the flags.")
    spam_reason = models.CharField(max_length=200, blank=True)
    report_count = models.PositiveIntegerField(default=0)
    # A keyed hash of the client (never an address) and of the text: rate limits and
    # "the same comment submitted twice is stored once".
    client_hash = models.CharField(max_length=64, blank=True)
    body_hash = models.CharField(max_length=64, blank=True)
    erased_at = models.DateTimeField(
        null=True, blank=True, help_text="When the commenter's data was erased on request."
    )
    # Moves with every decision: a decision based on an older view of the comment is
    # refused (comments.stale), as edits to articles are (core.revisions).
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        permissions = [("moderate_comment", "Can moderate comments")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="comment_status_known"
            ),
            models.UniqueConstraint(
                fields=["article", "client_hash", "body_hash"],
                condition=~models.Q(body_hash=""),
                name="comment_stored_once",
            ),
        ]
        indexes = [
            # A page of the comment section (comments.listing) and its count: the page's
            # rows in order without a sort, the count from the index alone.
            models.Index(
                fields=["article", "status", "parent", "created", "id"], name="comment_page"
            )
        ]

    def __str__(self):
        if self.erased_at:
            return f"Comment {self.pk} (erased)"
        return f"{self.name}: {self.body[:40]}"

    def get_absolute_url(self):
        """Where a reader sees this comment (the admin's "View on site"): its page of the
        comment section, at the comment. A reply is found under its parent; a comment
        that is not on the page leads to the comment section."""
        shown = self.parent if self.parent_id else self
        url = self.article.get_absolute_url()
        if shown.status != Status.APPROVED or self.status != Status.APPROVED:
            return url + "#comments"
        page = shown.section_page()
        return url + (f"?page={page}" if page > 1 else "") + f"#comment-{self.pk}"

    def section_page(self):
        """The comment section's page that shows this top-level comment (newest first,
        COMMENTS_PER_PAGE a page, as comments.listing lists them)."""
        newer = (
            Comment.objects.filter(
                article_id=self.article_id, parent__isnull=True, status=Status.APPROVED
            )
            .filter(
                models.Q(created__gt=self.created) | models.Q(created=self.created, pk__gt=self.pk)
            )
            .count()
        )
        return newer // settings.COMMENTS_PER_PAGE + 1


class ModerationDecision(models.Model):
    """An audit row for each moderation decision."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="decisions")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    note = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"{self.get_status_display()} by {self.moderator} on {self.created:%Y-%m-%d}"


class ReportReason(models.TextChoices):
    """What a reader may say when reporting a comment (optional)."""

    UNKIND = "unkind", "It is unkind, abusive or hateful"
    HARMFUL = "harmful", "It could put someone at risk (doses, sources, methods)"
    SPAM = "spam", "It is advertising or spam"
    PRIVATE = "private", "It shares someone's private details"
    OTHER = "other", "Something else"


class Report(models.Model):
    """A reader's "Report" on an approved comment; one per client per comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    client_hash = models.CharField(max_length=64)
    reason = models.CharField(max_length=10, choices=ReportReason.choices, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "client_hash"], name="one_report_per_client")
        ]

    def __str__(self):
        return f"Report on comment {self.comment_id}"


class BlockedTerm(models.Model):
    """A word or domain that marks a comment as spam. Moderators edit the list."""

    class Kind(models.TextChoices):
        WORD = "word", "Word or phrase"
        DOMAIN = "domain", "Web domain"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.WORD)
    value = models.CharField(max_length=200)
    note = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="unique_blocked_term")
        ]

    def __str__(self):
        return self.value
