"""Hostile query strings and path segments on every public URL, the admin login and the
editors' lists: never a 500, nothing reflected unescaped, no redirect off the site."""

from urllib.parse import quote, urlsplit

import pytest
from django.test import Client

from comments.models import Comment, Status

from . import tally
from .checks import assert_safe
from .conftest import ADMIN, ARTICLE_URL, SLUG
from .corpus import EVERYTHING, sample

pytestmark = pytest.mark.django_db

PUBLIC = [
    "/",
    ARTICLE_URL,
    "/citations/trial2020/",
    f"/citations/export/{SLUG}.ris",
    f"/citations/export/{SLUG}.bib",
    f"/citations/export/{SLUG}.json",
    "/feed/",
    "/updates/",
    "/sitemap.xml",
    "/robots.txt",
    "/about/",
    "/privacy/",
    "/healthz",
    "/readyz",
    ADMIN + "login/",
]
# The parameters each page reads (every page also gets a few it does not know).
READS = {
    ARTICLE_URL: ["page", "comment", "reported", "feedback"],
    "/sitemap.xml": ["p"],
    ADMIN + "login/": ["next"],
}
OTHER_PARAMS = ["q", "page", "p", "next", "format", "callback", "utm_source"]


def raw(text):
    """A string as the WSGI server would hand it over: UTF-8 bytes read as Latin-1."""
    return text.encode("utf-8", "surrogatepass").decode("latin-1")


def check(response, *payloads):
    assert response.status_code < 500, response.status_code
    assert response.status_code in (200, 301, 302, 304, 400, 404, 405), response.status_code
    location = response.get("Location")
    if location:
        parts = urlsplit(location)
        assert not parts.netloc or parts.netloc == "testserver", location
        assert not parts.scheme or parts.scheme in ("http", "https"), location
        assert location.startswith("/") and not location.startswith("//"), location
    assert_safe(response, *payloads)


@pytest.mark.slow
def test_every_string_in_the_query_of_every_public_url(client, published):
    """Pages that read a parameter get every string in each one they read; every page
    gets every string in parameters it does not read, in batches of seven, encoded
    and raw."""
    for url in PUBLIC:
        names = READS.get(url, [])
        if names:
            for text in EVERYTHING:
                query = {**dict.fromkeys(names, text), text: text}
                check(client.get(url, query), text)
                tally.sent(f"query string: {url}", text)
        for start in range(0, len(EVERYTHING), len(OTHER_PARAMS)):
            batch = EVERYTHING[start : start + len(OTHER_PARAMS)]
            query = dict(zip(OTHER_PARAMS, batch, strict=False))
            check(client.get(url, query), *batch)
            raw_query = "&".join(f"{n}={raw(v)}" for n, v in zip(OTHER_PARAMS, batch, strict=False))
            check(client.get(url, QUERY_STRING=raw_query), *batch)
            tally.sent(f"query string: {url}", *batch)


def test_login_next_never_leaves_the_site(client, make_user):
    make_user("edith", password="a-long-test-password")
    targets = [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "https:evil.example",
        "javascript:alert(1)",
        "/%2F%2Fevil.example",
        " //evil.example",
        "\t//evil.example",
        "http://testserver@evil.example/",
    ]
    for target in targets:
        client.logout()
        response = client.post(
            ADMIN + "login/",
            {"username": "edith", "password": "a-long-test-password", "next": target},
        )
        tally.sent("admin login: next", target)
        assert response.status_code == 302, target
        location = response["Location"]
        # The admin, or a path on this site ("/%2F%2Fevil.example" is one).
        assert location == ADMIN or location == target, (target, location)
        assert location.startswith("/") and not location.startswith(("//", "/\\")), location
        assert not urlsplit(location).netloc, location


@pytest.mark.slow
def test_hostile_admin_login_fields(client, make_user):
    """The login form gives the username back escaped; nothing else is reflected."""
    make_user("edith", password="a-long-test-password")
    for text in EVERYTHING:
        response = client.post(ADMIN + "login/", {"username": text, "password": text})
        tally.sent("admin login: username", text)
        tally.sent("admin login: password", text)
        assert response.status_code in (200, 429), text
        assert_safe(response, text)
        if response.status_code == 429:  # locked out (as it should be): start again
            from axes.models import AccessAttempt

            AccessAttempt.objects.all().delete()


def segments():
    yield from EVERYTHING
    yield from [
        "..",
        "../../etc/passwd",
        "%2e%2e%2f",
        "//evil.example",
        "\\\\evil.example",
        "a" * 5000,
        "%00",
        "%ff%fe",
        "%C0%AF",
        "%252e",
        "٣",
        "²",
        "1e9",
        "-1",
        "99999999999999999999999",
    ]


def path_urls(segment):
    encoded = quote(segment, safe="") or "%20"
    pk = Comment.objects.values_list("pk", flat=True).first()
    return [
        f"/articles/{encoded}/",
        f"/articles/{encoded}",
        f"/citations/{encoded}/",
        f"/citations/export/{encoded}.ris",
        f"/citations/export/{SLUG}.{encoded}",
        f"/comments/{encoded}/report/",
        f"/{encoded}",
        f"/static/{encoded}",
        f"{ADMIN}{encoded}/",
        f"{ADMIN}articles/section/{encoded}/history/",
        f"{ADMIN}articles/section/{encoded}/history/compare/",
        f"{ADMIN}citations/citation/{encoded}/history/compare/",
        f"{ADMIN}comments/comment/{encoded}/change/",
        f"{ADMIN}articles/article/{encoded}/review/",
        f"{ADMIN}comments/comment/{pk}/{encoded}/",
    ]


@pytest.fixture
def superuser_client(django_user_model):
    user = django_user_model.objects.create_superuser("root", password="a-long-test-password")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.slow
def test_every_string_as_a_path_segment(client, superuser_client, published):
    """Each string as each variable part of the site's URLs (the admin's as a
    superuser): a 404 (or a redirect on the site), never a 500."""
    Comment.objects.create(article=published, name="R", body="x", status=Status.APPROVED)
    for segment in segments():
        for url in path_urls(segment):
            who = superuser_client if url.startswith(ADMIN) else client
            check(who.get(url), segment)
            tally.sent(
                "path segment: " + url.replace(quote(segment, safe="") or "%20", "<s>"), segment
            )
        response = client.post(f"/comments/post/{quote(segment, safe='') or '%20'}/", {})
        assert response.status_code in (403, 404), segment
        tally.sent("path segment: /comments/post/<s>/", segment)


LISTS = [
    ADMIN + "comments/comment/",
    ADMIN + "articles/article/",
    ADMIN + "articles/section/",
    ADMIN + "articles/feedback/",
    ADMIN + "citations/citation/",
]
LIST_PARAMS = [
    "q", "o", "p", "all", "e", "status__exact", "risk", "review", "created__year",
    "created__month", "day__gte", "article__id__exact", "_to_field", "_popup",
    "_changelist_filters", "published__year", "helpful__exact", "verification__exact",
]  # fmt: skip


@pytest.mark.slow
def test_hostile_queries_on_the_editors_lists(superuser_client, published):
    """A sample of the strings (every fourth) in search, ordering, paging, filters and
    the admin's own parameters of each list, rotated so each parameter gets several."""
    section = published.sections.first()
    lists = [*LISTS, ADMIN + f"articles/section/{section.pk}/history/compare/"]
    for url in lists:
        for i, text in enumerate(sample(EVERYTHING, 4)):
            name = LIST_PARAMS[i % len(LIST_PARAMS)]
            check(superuser_client.get(url, {name: text, "q": text}), text)
            tally.sent(f"admin list query: {url}", text)


@pytest.mark.parametrize(
    "query",
    ["created__year=0", "created__year=99999", "published__year=0", "day__year=0",
     "date_joined__year=0", "attempt_time__year=0", "id__gt=99999999999999999999999",
     "created__month=13", "p=99999", "o=999", "revision=²&revision=1"],
)  # fmt: skip
def test_out_of_range_filters_are_not_server_errors(superuser_client, published, query):
    """Values that pass the admin's checks but not the database's ("year 0 is out of
    range"): the admin's "?e=1" page, never a 500, on every list."""
    section = published.sections.first()
    lists = [
        *LISTS,
        ADMIN + "comments/blockedterm/",
        ADMIN + "auth/user/",
        ADMIN + "axes/accessattempt/",
        ADMIN + f"articles/section/{section.pk}/history/compare/",
    ]
    for url in lists:
        check(superuser_client.get(f"{url}?{query}"))
