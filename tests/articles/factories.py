"""factory_boy factories for articles: an article with its sections, as an editor makes it.

Saving a section publishes the article (Markdown → sanitized HTML, claims, references),
exactly as the admin does, so factories exercise the real pipeline.
"""

import datetime

import factory
from factory.django import DjangoModelFactory

from articles.models import Article, ArticleStatus, Section, SectionKey


class ArticleFactory(DjangoModelFactory):
    class Meta:
        model = Article
        django_get_or_create = ("slug",)

    title = factory.Sequence(lambda n: f"Test article {n}")
    slug = factory.Sequence(lambda n: f"test-article-{n}")
    summary = "A short plain summary."
    status = ArticleStatus.PUBLISHED
    published = datetime.date(2025, 6, 1)
    updated = datetime.date(2025, 6, 2)


class SectionFactory(DjangoModelFactory):
    class Meta:
        model = Section

    article = factory.SubFactory(ArticleFactory)
    key = SectionKey.OVERVIEW
    # A standard key's heading, or the key in words ("living-with-it": "Living with it").
    title = factory.LazyAttribute(
        lambda section: (
            SectionKey(section.key).label
            if section.key in SectionKey.values
            else section.key.replace("-", " ").capitalize()
        )
    )
    order = factory.LazyAttribute(
        lambda section: (
            SectionKey.values.index(section.key)
            if section.key in SectionKey.values
            else len(SectionKey.values)
        )
    )
    body_markdown = "Plain text without claims."


def article_with(sections, **fields):
    """An article whose sections are {key: markdown}, in the given order, published once."""
    article = ArticleFactory(**fields)
    for order, (key, body) in enumerate(sections.items()):
        SectionFactory(article=article, key=key, order=order, body_markdown=body)
    article.refresh_from_db()
    return article
