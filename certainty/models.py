from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.dispatch import Signal
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.cache import retire_pages_on_commit

from .grading import Certainty, DownDomain, Start, UpDomain, compute, problems
from .wording import Direction, Effect, statement

# Sent when a reviewer signs an outcome (a plain update, which sends no post_save).
outcome_signed = Signal()


class Kind(models.TextChoices):
    BENEFIT = "benefit", "Benefit"
    HARM = "harm", "Harm"


# The fields a reviewer signs: a change to any of them after signing is a change since
# review. Order is the file's (content/outcomes/<slug>.json).
CONTENT_FIELDS = [
    "key", "question", "intervention", "outcome", "kind", "direction", "comparison",
    "population", "studies", "participants", "effect", "start", "down", "up",
    "citation_keys",
]  # fmt: skip


class Outcome(models.Model):
    """One question an article answers, with the certainty of the evidence behind it."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="outcomes"
    )
    key = models.SlugField(max_length=40, help_text="Claims name it in the text: [@source; #key].")
    order = models.PositiveSmallIntegerField(default=0)
    question = models.CharField(max_length=200, help_text="In plain words, as a reader asks it.")
    intervention = models.CharField(max_length=120, help_text="e.g. “microdosing psilocybin”")
    outcome = models.CharField(max_length=120, help_text="e.g. “mood and well-being”")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    direction = models.CharField(
        max_length=10, choices=Direction.choices, help_text="The verb, if there is an effect."
    )
    comparison = models.CharField(max_length=120, blank=True, help_text="e.g. “a placebo”")
    population = models.CharField(max_length=200, blank=True, help_text="The people studied.")
    studies = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty: not reported. 0: no study has tested it."
    )
    participants = models.PositiveIntegerField(
        null=True, blank=True, help_text="Empty: not reported."
    )
    effect = models.CharField(
        max_length=20,
        choices=Effect.choices,
        help_text="The size of the effect (not used at very low certainty or with no studies).",
    )
    start = models.CharField(max_length=10, choices=Start.choices)
    down = models.JSONField(default=list, blank=True)
    up = models.JSONField(default=list, blank=True)
    citation_keys = models.JSONField(default=list, blank=True)
    # Computed on every save from the fields above: never typed.
    certainty = models.CharField(max_length=12, choices=Certainty.choices, editable=False)
    statement = models.TextField(editable=False)
    changed_at = models.DateTimeField(default=timezone.now, editable=False)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    signed_name = models.CharField(max_length=200, blank=True, editable=False)
    signed_at = models.DateTimeField(null=True, blank=True, editable=False)
    imported_hash = models.CharField(max_length=64, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["imported_hash", "statement"])

    class Meta:
        ordering = ["article", "order", "pk"]
        permissions = [("sign_outcome", "Can sign the certainty of an outcome")]
        constraints = [
            models.UniqueConstraint(fields=["article", "key"], name="unique_outcome_key"),
            models.CheckConstraint(
                condition=models.Q(certainty__in=Certainty.values), name="outcome_certainty_known"
            ),
            models.CheckConstraint(
                condition=models.Q(start__in=Start.values), name="outcome_start_known"
            ),
        ]

    def __str__(self):
        return self.question

    def save(self, *args, **kwargs):
        """Refuse ratings that do not add up; compute the certainty and the statement."""
        found = self.rating_problems()
        if found:
            raise ValidationError(found)
        self.certainty = compute(self.start, self.down, self.up, self.studies)
        self.statement = statement(
            certainty=self.certainty,
            effect=self.effect,
            direction=self.direction,
            intervention=self.intervention,
            outcome=self.outcome,
            comparison=self.comparison,
        )
        self.content_was_changed = getattr(self, "_saved", None) != self.content()
        if self.content_was_changed and self.pk is not None:
            self.changed_at = timezone.now()
        super().save(*args, **kwargs)
        self._saved = self.content()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._saved = instance.content()
        return instance

    def content(self):
        return {name: getattr(self, name, None) for name in CONTENT_FIELDS}

    def rating_problems(self):
        return problems(self.start, self.down, self.up, self.studies)

    def clean(self):
        found = self.rating_problems()
        if found:
            raise ValidationError(found)

    def sign(self, user, name):
        """A reviewer's sign-off: who and when. Changes no content."""
        self.signed_by, self.signed_name, self.signed_at = user, name, timezone.now()
        type(self).objects.filter(pk=self.pk).update(
            signed_by=user, signed_name=name, signed_at=self.signed_at
        )
        # update() sends no signal: re-render the article, retire the cached pages.
        outcome_signed.send(sender=type(self), article_id=self.article_id)
        retire_pages_on_commit()

    @property
    def certainty_choice(self):
        return Certainty(self.certainty)

    @property
    def signed(self):
        return self.signed_at is not None

    @property
    def changed_since_signed(self):
        return self.signed_at is not None and self.changed_at > self.signed_at

    @property
    def reasons_down(self):
        return [{**r, "label": DownDomain(r["domain"]).label} for r in self.down]

    @property
    def reasons_up(self):
        return [{**r, "label": UpDomain(r["domain"]).label} for r in self.up]


def last_reviewed(outcomes):
    """When the certainty of these outcomes was last signed as a whole (None: not all
    signed, or one changed since): what readers are told."""
    outcomes = list(outcomes)
    if not outcomes or any(not o.signed or o.changed_since_signed for o in outcomes):
        return None
    return max(o.signed_at for o in outcomes)
