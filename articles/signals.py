"""Every change readers could see renders the article's page again (articles.page) and
retires the cached pages (see core.cache) when the transaction commits: after the new
HTML is stored."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from certainty.models import outcome_signed
from citations.support import support_changed
from core.cache import pages_outdated, retire_pages_on_commit

from .models import Article, Review, Section
from .page import store_page
from .reviews import mark_content_changed


def refresh_byline(article):
    byline = [
        {"name": p.public_name, "role": p.role, "url": p.get_absolute_url()}
        for p in article.authors.all()
    ]
    Article.objects.filter(pk=article.pk).update(byline=byline)
    article.byline = byline
    store_page(article.pk)


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
    # The byline also names the reviewer who signed an article's last review.
    reviewed = Article.objects.filter(last_review__reviewer=instance).exclude(authors=instance)
    for article_id in reviewed.values_list("pk", flat=True):
        store_page(article_id)
    retire_pages_on_commit()


@receiver(post_save, sender=Article)
def article_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        store_page(instance.pk)
    retire_pages_on_commit()


@receiver(post_delete, sender=Article)
@receiver([post_save, post_delete], sender=Section)
def article_changed(sender, **kwargs):
    """A section's save or delete re-renders the article (Section.save, .delete)."""
    retire_pages_on_commit()


@receiver([post_save, post_delete], sender=Review)
def review_changed(sender, instance, raw=False, **kwargs):
    """The byline shows the last signed review (a deleted one leaves none)."""
    if not raw:
        store_page(instance.article_id)
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
    store_page(instance.article_id)
    retire_pages_on_commit()


@receiver(outcome_signed)
def outcome_was_signed(sender, article_id, **kwargs):
    """A signature shows in "How sure are we?" (who checked the ratings, and when)."""
    store_page(article_id)


@receiver(support_changed)
def claim_support_changed(sender, article_id, **kwargs):
    """A support check shows in the references: render them again."""
    from .rerendering import rerender

    article = Article.objects.filter(pk=article_id).first()
    if article is not None:
        rerender(article)
        retire_pages_on_commit()


@receiver(pages_outdated)
def render_every_page(sender, **kwargs):
    """Rows changed behind the models' back (core.cache.bump_content_version): every
    stored page is rendered again from the database."""
    for article_id in Article.objects.published().values_list("pk", flat=True):
        store_page(article_id)
