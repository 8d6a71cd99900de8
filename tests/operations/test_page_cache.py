"""The whole-page cache for anonymous readers (core.page_cache).

Behaviour only: headers, validators, who is served from the cache, invalidation, and
what happens when the database or the cache is unreachable. Speed is measured in bench/.
"""

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from django.utils.http import http_date, parse_http_date

from core import page_cache
from core.cache import bump_content_version, content_version
from tests.support.content import ARTICLE_URL

from .conftest import add_comments

SECURITY_HEADERS = [
    "Content-Security-Policy",
    "Permissions-Policy",
    "Cross-Origin-Resource-Policy",
    "Cross-Origin-Opener-Policy",
    "Referrer-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
]


def assert_shareable(response):
    """What lets any shared cache or CDN hold the page: public, no cookie, no Vary: Cookie."""
    assert response["Cache-Control"] == page_cache.ANONYMOUS_CACHE_CONTROL
    assert not response.cookies
    assert "Set-Cookie" not in response.headers
    assert "cookie" not in response.headers.get("Vary", "").lower()
    for header in SECURITY_HEADERS:
        assert header in response.headers, header


def test_anonymous_article_is_public_and_cached_whole(client, imported, django_assert_num_queries):
    first = client.get(ARTICLE_URL)
    assert first.status_code == 200
    assert_shareable(first)
    assert first["ETag"] and first["Last-Modified"]

    with django_assert_num_queries(0):
        second = client.get(ARTICLE_URL)
    assert second.status_code == 200
    assert_shareable(second)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Last-Modified"] == first["Last-Modified"]


def test_head_is_served_from_the_cache(client, imported, django_assert_num_queries):
    client.get(ARTICLE_URL)
    with django_assert_num_queries(0):
        response = client.head(ARTICLE_URL)
    assert response.status_code == 200
    assert_shareable(response)


def test_cache_control_keeps_the_comment_form_fresh():
    """The form's signed time must never be near its maximum age when a reader gets it:
    our own cache plus what shared caches may add stays well under it."""
    worst = settings.PAGE_CACHE_SECONDS + page_cache.MAX_AGE + page_cache.STALE_WHILE_REVALIDATE
    assert worst * 4 <= settings.COMMENT_MAX_AGE_SECONDS
    assert "public" in page_cache.ANONYMOUS_CACHE_CONTROL
    assert f"max-age={page_cache.MAX_AGE}" in page_cache.ANONYMOUS_CACHE_CONTROL


class TestConditionalRequests:
    def test_if_none_match_answers_304_without_the_database(
        self, client, imported, django_assert_num_queries
    ):
        etag = client.get(ARTICLE_URL)["ETag"]
        with django_assert_num_queries(0):
            response = client.get(ARTICLE_URL, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304
        assert response.content == b""
        assert response["ETag"] == etag
        assert response["Cache-Control"] == page_cache.ANONYMOUS_CACHE_CONTROL
        assert not response.cookies

    def test_weak_and_listed_etags_match(self, client, imported):
        """nginx marks an ETag weak when it compresses: W/"…" must still match."""
        etag = client.get(ARTICLE_URL)["ETag"]
        assert client.get(ARTICLE_URL, HTTP_IF_NONE_MATCH="W/" + etag).status_code == 304
        listed = f'"other", {etag}'
        assert client.get(ARTICLE_URL, HTTP_IF_NONE_MATCH=listed).status_code == 304
        assert client.get(ARTICLE_URL, HTTP_IF_NONE_MATCH='"other"').status_code == 200

    def test_if_modified_since(self, client, imported):
        modified = client.get(ARTICLE_URL)["Last-Modified"]
        assert client.get(ARTICLE_URL, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
        earlier = http_date(parse_http_date(modified) - 60)
        assert client.get(ARTICLE_URL, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200

    def test_if_none_match_wins_over_if_modified_since(self, client, imported):
        modified = client.get(ARTICLE_URL)["Last-Modified"]
        response = client.get(
            ARTICLE_URL, HTTP_IF_NONE_MATCH='"stale"', HTTP_IF_MODIFIED_SINCE=modified
        )
        assert response.status_code == 200

    def test_a_change_changes_the_validators(
        self, client, imported, django_capture_on_commit_callbacks
    ):
        """An ETag saved before an edit no longer matches: the reader gets the new page."""
        etag = client.get(ARTICLE_URL)["ETag"]
        section = imported.sections.get(key="overview")
        section.title = "Overview, revised"
        with django_capture_on_commit_callbacks(execute=True):  # as when it commits
            section.save()
        response = client.get(ARTICLE_URL, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 200
        assert response["ETag"] != etag
        assert b"Overview, revised" in response.content


class TestWhoIsServedFromTheCache:
    def test_signed_in_users_get_a_private_uncached_page(
        self, client, imported, make_user, django_assert_num_queries
    ):
        anonymous = client.get(ARTICLE_URL)
        editor = Client()
        editor.force_login(make_user("ed", groups=["Editors"]))
        response = editor.get(ARTICLE_URL)
        assert response.status_code == 200
        assert response["Cache-Control"] == page_cache.PRIVATE_CACHE_CONTROL
        assert "ETag" not in response.headers
        # The anonymous copy is still there for readers...
        with django_assert_num_queries(0):
            assert client.get(ARTICLE_URL).content == anonymous.content
        # ...and never served to the signed-in user: their page is rendered for them.
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            editor.get(ARTICLE_URL)
        assert queries.captured_queries, "a signed-in user was served the cached copy"

    def test_a_signed_in_render_is_never_stored_for_readers(self, client, imported, make_user):
        editor = Client()
        editor.force_login(make_user("ed", groups=["Editors"]))
        editor.get(ARTICLE_URL)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = client.get(ARTICLE_URL)
        assert queries.captured_queries, "the reader got the editor's render from the cache"
        assert_shareable(response)

    def test_posts_are_never_cached(self, client, imported):
        client.get(ARTICLE_URL)
        response = client.post(
            f"/articles/{imported.slug}/feedback/",
            {"helpful": "yes"},
            HTTP_ORIGIN="http://testserver",
            HTTP_SEC_FETCH_SITE="same-origin",
        )
        assert response.status_code in (303, 400)
        assert response.get("Cache-Control") != page_cache.ANONYMOUS_CACHE_CONTROL


class TestCacheKeys:
    def test_query_order_does_not_matter(self, client, imported, django_assert_num_queries):
        add_comments(imported, 25)
        client.get(ARTICLE_URL + "?page=2&comment=received")
        with django_assert_num_queries(0):
            response = client.get(ARTICLE_URL + "?comment=received&page=2")
        assert response.status_code == 200
        assert b"Thank you" in response.content

    def test_unknown_parameters_are_not_cached(self, client, imported):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get(ARTICLE_URL + "?utm_source=news")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(ARTICLE_URL + "?utm_source=news")
        assert response.status_code == 200
        assert queries.captured_queries
        assert "public" not in response.get("Cache-Control", "")

    def test_each_host_has_its_own_copy(self, client, imported):
        """Canonical links are absolute: a copy made for one host is never sent for another."""
        one = client.get(ARTICLE_URL, HTTP_HOST="localhost")
        other = client.get(ARTICLE_URL, HTTP_HOST="127.0.0.1")
        assert b'href="http://localhost/articles/' in one.content
        assert b'href="http://127.0.0.1/articles/' in other.content

    def test_unknown_hosts_are_refused_not_served(self, client, imported):
        client.get(ARTICLE_URL)
        response = client.get(ARTICLE_URL, HTTP_HOST="evil.example")
        assert response.status_code == 400


class TestInvalidation:
    def test_an_edit_is_seen_at_once(self, client, imported, django_capture_on_commit_callbacks):
        client.get(ARTICLE_URL)
        section = imported.sections.get(key="overview")
        section.title = "Overview (corrected)"
        with django_capture_on_commit_callbacks(execute=True):  # as when it commits
            section.save()
        assert b"Overview (corrected)" in client.get(ARTICLE_URL).content

    def test_a_moderation_decision_is_seen_at_once(
        self, client, imported, make_user, django_capture_on_commit_callbacks
    ):
        from comments import moderation

        [comment] = add_comments(imported, 1, status="pending")
        assert b"thank you for the references" not in client.get(ARTICLE_URL).content
        moderator = make_user("mod", groups=["Moderators"])
        with django_capture_on_commit_callbacks(execute=True):
            moderation.approve([comment], moderator)
        assert b"thank you for the references" in client.get(ARTICLE_URL).content

    def test_the_version_is_bumped_only_after_commit(
        self, imported, make_user, django_capture_on_commit_callbacks
    ):
        """A page rendered between the change and its commit would otherwise be stored
        under the new version with the old content."""
        from comments import moderation

        [comment] = add_comments(imported, 1, status="pending")
        before = content_version()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            moderation.approve([comment], make_user("mod", groups=["Moderators"]))
            assert content_version() == before
        for callback in callbacks:
            callback()
        assert content_version() != before

    def test_the_copy_expires_after_page_cache_seconds(self, client, imported, settings):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get(ARTICLE_URL)
        settings.PAGE_CACHE_SECONDS = 0
        with CaptureQueriesContext(connection) as queries:
            client.get(ARTICLE_URL)
        assert queries.captured_queries


def get_with_database_down(client, monkeypatch, url):
    """GET url while every query fails as with the database server unreachable."""

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", down)
        return client.get(url)


class TestOutages:
    def test_the_last_copy_is_served_when_the_database_is_down(self, client, imported, monkeypatch):
        cached = client.get(ARTICLE_URL)
        bump_content_version()  # the copy is no longer fresh: the view must run

        response = get_with_database_down(client, monkeypatch, ARTICLE_URL)
        assert response.status_code == 200
        assert response.content == cached.content
        assert_shareable(response)

    def test_without_a_copy_the_reader_gets_a_calm_503(self, client, imported, monkeypatch):
        response = get_with_database_down(client, monkeypatch, ARTICLE_URL)
        assert response.status_code == 503
        assert response["Retry-After"]
        assert response["Cache-Control"] == "no-store"
        html = response.content.decode()
        assert "We are having trouble right now" in html
        assert "Traceback" not in html and "OperationalError" not in html

    def test_a_comment_that_could_not_be_stored_comes_back_in_the_form(
        self, client, imported, monkeypatch
    ):
        def down(*args, **kwargs):
            raise OperationalError("connection refused")

        monkeypatch.setattr("comments.views.get_object_or_404", down)
        response = client.post(
            f"/comments/post/{imported.slug}/",
            {
                "name": "Sam <b>",
                "email": "sam@example.org",
                "body": "My long comment, typed on a phone.\nSecond line & more.",
                "token": "signed-token",
                "website": "",
            },
            HTTP_ORIGIN="http://testserver",
            HTTP_SEC_FETCH_SITE="same-origin",
        )
        assert response.status_code == 503
        assert response["Cache-Control"] == "no-store"
        html = response.content.decode()
        assert "Your comment was not sent yet" in html
        assert "My long comment, typed on a phone.\nSecond line &amp; more." in html
        assert 'value="Sam &lt;b&gt;"' in html
        assert 'value="sam@example.org"' in html
        assert 'value="signed-token"' in html
        assert f'action="/comments/post/{imported.slug}/"' in html
        assert "Traceback" not in html

    def test_the_admin_says_plainly_that_nothing_was_saved(
        self, client, imported, make_user, monkeypatch
    ):
        from django.contrib.admin.sites import AdminSite

        def down(*args, **kwargs):
            raise OperationalError("connection refused")

        client.force_login(make_user("ed", groups=["Editors"]))
        monkeypatch.setattr(AdminSite, "get_app_list", down)
        response = client.get("/" + settings.ADMIN_URL)
        assert response.status_code == 503
        html = response.content.decode()
        assert "cannot reach the database" in html
        assert "nothing from this request was saved" in html
        assert "Traceback" not in html

    def test_pages_are_rendered_when_the_cache_is_unreachable(self, client, imported, monkeypatch):
        def unreachable(*args, **kwargs):
            raise ConnectionError("cache down")

        monkeypatch.setattr(page_cache, "content_version", unreachable)
        response = client.get(ARTICLE_URL)
        assert response.status_code == 200
        assert not response.cookies


def test_a_reader_page_that_sets_a_cookie_is_neither_stored_nor_public(
    client, db, settings, django_assert_num_queries
):
    calls = []

    @page_cache.cache_for_readers
    def leaky(request):
        calls.append(1)
        response = HttpResponse("hello")
        response.set_cookie("tracker", "1")
        return response

    settings.ROOT_URLCONF = type("urls", (), {"urlpatterns": [path("leaky/", leaky)]})
    first = client.get("/leaky/")
    second = client.get("/leaky/")
    assert len(calls) == 2
    assert first["Cache-Control"] == second["Cache-Control"] == page_cache.PRIVATE_CACHE_CONTROL


@pytest.mark.parametrize("url", ["/", "/about/", "/privacy/"])
def test_other_reader_pages_are_shareable_too(client, imported, url, django_assert_num_queries):
    client.get(url)
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.status_code == 200
    assert_shareable(response)


def test_a_script_name_cannot_put_one_page_at_another_address(client, imported):
    """SCRIPT_NAME=/privacy on a request for / makes request.path /privacy/ while Django
    serves the home page: that copy must never answer for /privacy/."""
    shifted = client.get("/", SCRIPT_NAME="/privacy")
    assert shifted["Cache-Control"] == page_cache.PRIVATE_CACHE_CONTROL
    privacy = client.get("/privacy/")
    assert privacy.status_code == 200
    assert b"<h1>Privacy" in privacy.content, privacy.content[:300]
    assert_shareable(privacy)
