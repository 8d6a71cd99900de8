"""Database outage: readers keep reading, writers are told plainly, nothing shows a
traceback, and the site recovers by itself when the database comes back.

The test runs its own PostgreSQL (initdb in a temporary folder, its own port, pg_ctl),
never the machine's shared server, and stops it under the running site. Skipped when
PostgreSQL's server binaries are missing; failed instead when CI is set.
"""

import secrets
import time

import pytest

from tests.support.servers import Gunicorn, site_env
from tests.support.skips import unavailable

from .servers import (
    ARTICLE_URL,
    PASSWORD,
    SLUG,
    Client,
    PrivatePostgres,
    burst,
    comment_data,
    postgres_bin,
    prepare_site,
)

pytestmark = pytest.mark.operations

# Short, so the test also covers a copy that has gone stale during the outage: the view
# runs, the database fails, and the last good copy is served instead.
PAGE_CACHE_SECONDS = 2


@pytest.fixture
def postgres():
    bindir = postgres_bin()
    if bindir is None:
        unavailable(
            "PostgreSQL server binaries (initdb, pg_ctl) are not installed", required_by="CI"
        )
    instance = PrivatePostgres(bindir)
    try:
        instance.start()
        yield instance
    finally:
        instance.destroy()


@pytest.fixture
def site(postgres, tmp_path):
    postgres.create_database("site")
    secret = secrets.token_urlsafe(50)
    env = site_env(
        tmp_path / "var",
        postgres.url("site"),
        secret,
        DJANGO_CACHE_DIR=tmp_path / "cache",
        DJANGO_PAGE_CACHE_SECONDS=PAGE_CACHE_SECONDS,
        DJANGO_CONN_MAX_AGE=60,
    )
    (tmp_path / "var").mkdir()
    ids = prepare_site(env, users=[{"username": "ops", "password": PASSWORD, "superuser": True}])
    server = Gunicorn(env, tmp_path, workers=2)
    try:
        yield {"server": server, "ids": ids, "secret": secret}
    finally:
        server.stop()


def no_traceback(response):
    assert "Traceback" not in response.text
    assert "OperationalError" not in response.text
    assert "psycopg" not in response.text


def test_readers_keep_reading_through_an_outage_and_the_site_recovers(postgres, site):
    server = site["server"]
    base = server.base
    editor = Client(base)
    assert editor.login("ops").status == 302  # a session from before the outage
    assert editor.get("/admin/").status == 200
    assert Client(base).get("/readyz").status == 200

    # Warm: the article is in the shared cache (and in every worker that answers).
    for response in burst(base, ARTICLE_URL, count=12, concurrency=4):
        assert response.status == 200
    title = "Can microdosing mushrooms help with derealization?"

    postgres.stop()

    # The cached article keeps being served, fresh copy first, then the stale one.
    for _ in range(2):
        for response in burst(base, ARTICLE_URL, count=8, concurrency=4):
            assert response.status == 200, response.status
            assert title in response.text
            no_traceback(response)
        time.sleep(PAGE_CACHE_SECONDS + 0.5)

    ready = Client(base).get("/readyz")
    assert ready.status == 503
    assert ready.header("Cache-Control") and "no-cache" in ready.header("Cache-Control")

    # A comment cannot be stored: 503, and the reader's text comes back in the form.
    body = "What I wrote while the database was down, line one.\nLine two & more."
    reader = Client(base, user_agent="Mozilla/5.0 (outage reader)")
    posted = reader.post(
        f"/comments/post/{SLUG}/", comment_data(site["secret"], site["ids"]["article"], body)
    )
    assert posted.status == 503
    assert posted.header("Retry-After")
    assert "Your comment was not sent yet" in posted.text
    assert "line one.\nLine two &amp; more.</textarea>" in posted.text
    no_traceback(posted)

    # The admin says clearly what is going on.
    admin = editor.get("/admin/")
    assert admin.status == 503
    assert "The editorial admin cannot reach the database" in admin.text
    no_traceback(admin)

    # A page that was never cached: the calm 503 page.
    uncached = Client(base).get("/citations/szigeti2021/")
    assert uncached.status == 503
    assert "We are having trouble right now" in uncached.text
    no_traceback(uncached)

    postgres.start()

    # Everything works again, without restarting the app.
    deadline = time.monotonic() + 15
    while Client(base).get("/readyz").status != 200:
        assert time.monotonic() < deadline, "readyz did not recover"
        time.sleep(0.2)
    again = reader.post(
        f"/comments/post/{SLUG}/", comment_data(site["secret"], site["ids"]["article"], body)
    )
    assert again.status == 303, again.text[:2000]
    assert editor.get("/admin/").status == 200  # the same session, still valid
    queue = editor.get("/admin/comments/comment/?status__exact=pending")
    assert "What I wrote while the database was down" in queue.text
    for response in burst(base, ARTICLE_URL, count=8, concurrency=4):
        assert response.status == 200

    assert "Traceback" not in server.output()
