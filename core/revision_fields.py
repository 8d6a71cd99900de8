"""Extra fields on every revision row (django-simple-history historical models)."""

from django.db import models
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record


class RevisionFields(models.Model):
    public_change = models.BooleanField(
        "show in “What changed”",
        default=False,
        help_text="List this revision's change note on the public page.",
    )

    class Meta:
        abstract = True


@receiver(pre_create_historical_record)
def copy_revision_flags(sender, instance, history_instance, **kwargs):
    # The admin form sets these on the instance before saving it.
    if hasattr(history_instance, "public_change"):
        history_instance.public_change = bool(getattr(instance, "_public_change", False))
