"""The article page reads stored HTML: its query count does not grow with the number of
sections or citations (render on write; no n+1 over sections, claims or references)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import SectionKey
from tests.articles.factories import article_with
from tests.articles.helpers import ARTICLE_URL
from tests.citations.factories import CitationFactory

# article + sections + comments (the comments app adds at most two: comment_context).
BUDGET = 5


def cold_queries(client, url):
    """Queries for one anonymous request with nothing cached."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def big_article(db):
    """Eight sections citing 60 sources, each several times."""
    keys = [CitationFactory(key=f"source{n}").key for n in range(60)]
    bodies = {}
    for index, section in enumerate(SectionKey.values):
        sentences = [
            f"Claim {index}-{n} rests on two sources [@{keys[(index * 7 + n) % 60]}; "
            f"@{keys[(index * 11 + n) % 60]}]."
            for n in range(15)
        ]
        bodies[section] = " ".join(sentences) + "\n\n### A question?\n\nAn answer."
    return article_with(bodies, slug="big")


@pytest.fixture
def small_article(db):
    CitationFactory(key="only-source")
    return article_with({"overview": "One claim [@only-source]."}, slug="small")


def test_real_article_page_fits_the_budget(client, imported, django_assert_max_num_queries):
    """The real article, cold, for an anonymous reader: at most five queries."""
    cache.clear()
    with django_assert_max_num_queries(BUDGET):
        assert client.get(ARTICLE_URL).status_code == 200


def test_query_count_does_not_grow_with_sections_or_citations(
    client, small_article, big_article, django_assert_max_num_queries
):
    """Prevents an n+1: 1 section and 1 source cost what 8 sections and 60 sources do."""
    assert big_article.sections.count() == 8 and len(big_article.evidence["levels"]) >= 1
    assert big_article.evidence["sources"] == 60
    small = cold_queries(client, small_article.get_absolute_url())
    big = cold_queries(client, big_article.get_absolute_url())
    assert small == big <= BUDGET
    with django_assert_max_num_queries(BUDGET):
        cache.clear()
        client.get(big_article.get_absolute_url())


def test_cached_page_needs_no_query(client, imported, django_assert_num_queries):
    """A second anonymous reader gets the page from the shared cache."""
    cache.clear()
    client.get(ARTICLE_URL)
    with django_assert_num_queries(0):
        assert client.get(ARTICLE_URL).status_code == 200


def test_staff_page_does_not_grow_either(client, make_user, small_article, big_article):
    """Logged-in editors (session, user) skip the cache; still no n+1."""
    client.force_login(make_user("editor", groups=["Editors"]))
    small = cold_queries(client, small_article.get_absolute_url())
    big = cold_queries(client, big_article.get_absolute_url())
    assert small == big
