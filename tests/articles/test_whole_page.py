"""The whole page stored on write (Article.reader_page, articles.page): a reader at the
plain address gets it with the address, review banner and comment section filled in for
the request, byte for byte the page a render would give, and never a copy that has
fallen behind the database, the templates or the settings."""

import datetime
import re

from django.core.cache import cache
from django.core.signing import Signer
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, ArticleStatus, Review
from articles.page import page_format
from comments import spam
from comments.models import Comment, Status
from people.models import Profile
from tests.articles.helpers import ARTICLE_URL, run

TOKEN = re.compile(r'name="token" value="([^"]*)"')


def get(client, **extra):
    cache.clear()  # the page cache: read what the next reader would get
    response = client.get(ARTICLE_URL, **extra)
    assert response.status_code == 200
    return response.content.decode()


def rendered(client, **extra):
    """The page as rendered from templates (the stored whole page set aside)."""
    article = Article.objects.get(slug=ARTICLE_URL.strip("/").split("/")[-1])
    kept = article.reader_page
    Article.objects.filter(pk=article.pk).update(reader_page=b"")
    try:
        return get(client, **extra)
    finally:
        Article.objects.filter(pk=article.pk).update(reader_page=kept)


def same_but_token(one, other):
    return TOKEN.sub("", one) == TOKEN.sub("", other)


def test_the_stored_page_is_what_a_render_gives(client, imported):
    stored = Article.objects.get(pk=imported.pk).reader_page
    assert stored and imported.title.encode() in stored
    whole = get(client)
    assert same_but_token(whole, rendered(client))


def test_a_reader_request_reads_one_row_for_the_page(client, imported, settings):
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        assert client.get(ARTICLE_URL).status_code == 200
    # The comments are counted once per content version and process.
    assert len(first) <= 3
    settings.PAGE_CACHE_SECONDS = 0  # the cached copy is too old: the view runs again
    with CaptureQueriesContext(connection) as queries:
        assert client.get(ARTICLE_URL).status_code == 200
    assert len(queries) == 2  # the stored page and review dates; the page of comments
    assert "reader_page" in queries[0]["sql"]


def test_each_request_gets_a_form_token_of_its_own_that_is_accepted(client, imported):
    first, second = (TOKEN.search(get(client)).group(1) for _ in range(2))
    assert first != second
    for token in (first, second):
        article_pk, when, _nonce = Signer(salt=spam.TOKEN_SALT).unsign(token).split(":")
        assert int(article_pk) == imported.pk
        assert abs(int(when) - spam.now()) < 60


def test_the_address_is_the_one_the_reader_asked_for(client, imported):
    html = get(client, HTTP_HOST="localhost")
    url = f"http://localhost{ARTICLE_URL}"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'data-copy-link="{url}"' in html
    assert "body=http%3A//localhost/articles/" in html
    assert f'"url": "{url}"' in html
    assert "127.0.0.1" not in html
    assert same_but_token(html, rendered(client, HTTP_HOST="localhost"))


def test_the_review_banner_follows_the_review_row_and_the_date(client, imported, make_user):
    assert "Not yet medically reviewed." in get(client)
    user = make_user("banner-reviewer", groups=["Reviewers"])
    review = Review.objects.create(
        article=imported,
        reviewer=Profile.objects.create(user=user, public_name="Dr Banner"),
        signed_at=timezone.now(),
        next_review_due=timezone.localdate() + datetime.timedelta(days=30),
    )
    # Behind the models' back: the page must not need a signal to follow.
    Article.objects.filter(pk=imported.pk).update(last_review=review)
    html = get(client)
    assert "Not yet medically reviewed." not in html and "Due for medical review" not in html
    due = timezone.localdate() - datetime.timedelta(days=3)
    Review.objects.filter(pk=review.pk).update(next_review_due=due)
    html = get(client)
    assert f'Due for medical review since <time datetime="{due:%Y-%m-%d}">' in html
    assert same_but_token(html, rendered(client))


def add(article, **fields):
    values = {"name": "A reader", "body": "Thank you.", "status": Status.APPROVED}
    return Comment.objects.bulk_create([Comment(article=article, **(values | fields))])[0]


def test_comments_changed_behind_the_models_back_show_at_once(client, imported):
    comment = add(imported, body="Added with bulk_create.")
    html = get(client)
    assert "Added with bulk_create." in html and "1 comment," in html
    add(
        imported,
        parent_id=comment.pk,
        is_editorial=True,
        name="Editorial team",
        body="An editorial reply.",
    )
    assert "An editorial reply." in get(client)
    Comment.objects.filter(pk=comment.pk).update(body="Edited behind the back.")
    html = get(client)
    assert "Edited behind the back." in html and "Added with bulk_create." not in html
    assert same_but_token(html, rendered(client))
    Comment.objects.filter(pk=comment.pk).update(status=Status.REJECTED)
    html = get(client)
    assert "Edited behind the back." not in html and "No comments yet." in html


def test_an_article_unpublished_behind_the_models_back_is_not_found(client, imported):
    Article.objects.filter(pk=imported.pk).update(status=ArticleStatus.DRAFT)
    cache.clear()
    assert client.get(ARTICLE_URL).status_code == 404


def test_a_page_stored_with_other_settings_is_not_used(client, imported, settings):
    settings.CONTACT_EMAIL = "editors@example.org"
    assert 'href="mailto:editors@example.org"' in get(client)


def test_a_page_stored_with_other_templates_is_rendered_again_by_render_pages(client, imported):
    Article.objects.filter(pk=imported.pk).update(
        reader_page=b"0" * 32 + b"an old page", reader_page_format="an older release"
    )
    assert "an old page" not in get(client)
    assert "1 article page(s) stored." in run("render_pages")
    article = Article.objects.get(pk=imported.pk)
    assert article.reader_page_format == page_format()
    assert same_but_token(get(client), rendered(client))


def test_nothing_a_reader_typed_is_stored(client, imported):
    add(imported, name="<b>Sam Q. Reader</b>", body="<script>alert(1)</script> Useful levels.")
    html = get(client)
    assert "Useful levels." in html and "<script>alert(1)</script>" not in html
    assert "&lt;b&gt;Sam Q. Reader&lt;/b&gt;" in html
    stored = Article.objects.get(pk=imported.pk).reader_page
    assert b"Useful levels" not in stored and b"Sam Q. Reader" not in stored


def test_a_stored_page_with_a_slot_this_release_does_not_know_is_rendered(client, imported):
    article = Article.objects.get(pk=imported.pk)
    page = bytes(article.reader_page)
    slot = page[:32]
    Article.objects.filter(pk=imported.pk).update(
        reader_page=page.replace(slot + b"b", slot + b"z", 1)
    )
    html = get(client)
    assert "Not yet medically reviewed." in html
    assert same_but_token(html, rendered(client))
