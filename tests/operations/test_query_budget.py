"""The article page's query budget: at most 5 queries cold, however many sections,
citations and comments it has (comments are paginated), and none warm."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.support.content import ARTICLE_URL

from .conftest import add_comments

BUDGET = 5


def queries_for(client, url):
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as warm:
        again = client.get(url)
    assert again.status_code == 200
    return len(cold), len(warm), response


def sql(context):
    return "\n".join(q["sql"] for q in context.captured_queries)


@pytest.mark.parametrize(
    "comments, replies_every, page",
    [(0, 0, 1), (1, 0, 1), (45, 3, 1), (45, 3, 2), (45, 3, 3), (45, 3, 9)],
)
def test_real_article(client, imported, comments, replies_every, page):
    add_comments(imported, comments, replies_every)
    url = ARTICLE_URL + (f"?page={page}" if page > 1 else "")
    cold, warm, response = queries_for(client, url)
    assert cold <= BUDGET, f"{cold} queries cold"
    assert warm == 0


def test_the_count_does_not_grow_with_comments(client, imported):
    add_comments(imported, 2, 1)
    few = queries_for(client, ARTICLE_URL)[0]
    add_comments(imported, 300, 2)
    many, warm, response = queries_for(client, ARTICLE_URL)
    assert many == few <= BUDGET
    assert warm == 0
    # Paginated: the page shows one page of comments, not 300.
    assert response.content.count(b'class="comment"') <= 20
    assert b'rel="next"' in response.content


def make_article(slug, sections, cites_per_section):
    """An article with `sections` sections, each citing `cites_per_section` citations."""
    from articles.models import Article, Section, SectionKey
    from citations.models import Citation

    keys = list(Citation.objects.order_by("key").values_list("key", flat=True))
    article = Article.objects.create(
        title=f"Article {slug}",
        slug=slug,
        summary="A test article.",
        status="published",
        published=date.today(),
    )
    for order, key in enumerate(list(SectionKey)[:sections]):
        cited = keys[(order * cites_per_section) % len(keys) :][:cites_per_section]
        claims = " ".join(f"Claim {n} [@{k}]." for n, k in enumerate(cited)) or "No claims."
        Section(article=article, key=key, title=key.label, order=order, body_markdown=claims).save(
            rerender=False
        )
    from articles.rerendering import rerender

    rerender(article)
    return article


def test_the_count_does_not_grow_with_sections_or_citations(client, imported):
    small = make_article("small", sections=1, cites_per_section=0)
    large = make_article("large", sections=8, cites_per_section=6)
    assert large.sections.count() == 8
    small_cold, small_warm, _ = queries_for(client, small.get_absolute_url())
    large_cold, large_warm, response = queries_for(client, large.get_absolute_url())
    assert b'id="references"' in response.content
    assert small_cold == large_cold <= BUDGET
    assert small_warm == large_warm == 0
