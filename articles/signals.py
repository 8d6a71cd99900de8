"""Every change readers could see retires the cached pages (see core.cache)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.cache import bump_content_version

from .models import Article, Feedback, Section


@receiver([post_save, post_delete], sender=Article)
@receiver([post_save, post_delete], sender=Section)
def article_changed(sender, **kwargs):
    bump_content_version()


__all__ = ["article_changed", "Feedback"]
