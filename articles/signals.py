"""Every change readers could see retires the cached pages (see core.cache)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.cache import bump_content_version

from .models import Article, Section


@receiver([post_save, post_delete], sender=Article)
@receiver([post_save, post_delete], sender=Section)
def article_changed(sender, **kwargs):
    bump_content_version()


@receiver(post_save, sender="citations.Citation")
def citation_changed(sender, instance, raw=False, **kwargs):
    """A corrected record changes every page that cites it (labels, references)."""
    if raw:
        return
    from .publishing import articles_citing, publish

    for article in articles_citing(instance):
        publish(article)
    bump_content_version()
