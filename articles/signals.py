"""Every change readers could see retires the cached pages (see core.cache) when the
transaction commits: after Section.save() has stored the re-rendered HTML."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from citations.support import support_changed
from core.cache import retire_pages_on_commit

from .models import Article, Section
from .reviews import mark_content_changed


def refresh_byline(article):
    byline = [
        {"name": p.public_name, "role": p.role, "url": p.get_absolute_url()}
        for p in article.authors.all()
    ]
    Article.objects.filter(pk=article.pk).update(byline=byline)
    article.byline = byline


@receiver(m2m_changed, sender=Article.authors.through)
def authors_changed(sender, instance, action, reverse, **kwargs):
    if not action.startswith("post_"):
        return
    articles = instance.articles.all() if reverse else [instance]
    for article in articles:
        refresh_byline(article)
    retire_pages_on_commit()


@receiver(post_save, sender="people.Profile")
def profile_changed(sender, instance, raw=False, **kwargs):
    """A corrected name or credential shows on every article its person wrote."""
    if raw:
        return
    for article in instance.articles.all():
        refresh_byline(article)
    retire_pages_on_commit()


@receiver([post_save, post_delete], sender=Article)
@receiver([post_save, post_delete], sender=Section)
def article_changed(sender, **kwargs):
    retire_pages_on_commit()


@receiver(post_save, sender="citations.Citation")
def citation_changed(sender, instance, raw=False, **kwargs):
    """A corrected record changes every page that cites it (labels, references)."""
    if raw:
        return
    from .rerendering import articles_citing, rerender

    for article in articles_citing(instance):
        rerender(article)
    retire_pages_on_commit()


@receiver([post_save, post_delete], sender="certainty.Outcome")
def outcome_changed(sender, instance, raw=False, **kwargs):
    """An outcome's certainty is part of what a reviewer signs for the article: a change
    to it (not a signature) is a change since review. Imports date their own changes."""
    if raw:
        return
    changed = kwargs.get("signal") is post_delete or getattr(instance, "content_was_changed", False)
    if changed and not getattr(instance, "from_import", False):
        article = Article.objects.filter(pk=instance.article_id).first()
        if article is not None:
            mark_content_changed(article)
    retire_pages_on_commit()


@receiver(support_changed)
def claim_support_changed(sender, article_id, **kwargs):
    """A support check shows in the references: render them again."""
    from .rerendering import rerender

    article = Article.objects.filter(pk=article_id).first()
    if article is not None:
        rerender(article)
        retire_pages_on_commit()
