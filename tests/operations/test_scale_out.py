"""Scale-out: two app servers (two gunicorn instances on two ports) share one PostgreSQL
database and one Redis, as two machines behind a load balancer would. Whatever one
does, the other sees at once: the moderation queue, edits (shared cache invalidation),
the comment rate limit and the admin lockout.

Needs PostgreSQL (TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres:
the test creates and drops a database scaleout_<random> there) and Redis
(TEST_REDIS_URL, e.g. redis://127.0.0.1:6379/15). Skipped without them, failed when CI
is set.
"""

import os
import re
import secrets
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import ROOT
from tests.support.servers import Gunicorn, site_env
from tests.support.skips import unavailable

from .servers import (
    ARTICLE_URL,
    PASSWORD,
    SLUG,
    Client,
    comment_data,
    prepare_site,
    random_address,
    random_name,
)

pytestmark = pytest.mark.operations

POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def redis_url():
    url = os.environ.get("TEST_REDIS_URL", "")
    if not url:
        unavailable("TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6379/15)", required_by="CI")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        unavailable(f"Redis at {url} does not answer: {error}", required_by="CI")
    return url


def postgres_database():
    import psycopg

    name = random_name("scaleout")
    try:
        with psycopg.connect(POSTGRES, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"CREATE DATABASE {name}")
    except psycopg.Error as error:
        unavailable(f"PostgreSQL at {POSTGRES} cannot create a database: {error}", required_by="CI")
    return name, urlunsplit(urlsplit(POSTGRES)._replace(path="/" + name))


def drop_database(name):
    import psycopg

    with psycopg.connect(POSTGRES, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """Two app servers, A and B, with one database and one Redis between them."""
    redis = redis_url()
    name, database = postgres_database()
    folder = tmp_path_factory.mktemp("scaleout")
    prefix = random_name("scaleout")
    secret = secrets.token_urlsafe(50)
    servers = []
    try:
        env = {}
        for side in ("a", "b"):
            # Separate folders: the two servers share nothing but the database and Redis.
            (folder / side).mkdir()
            env[side] = site_env(
                folder / side,
                database,
                secret,
                REDIS_URL=redis,
                DJANGO_CACHE_PREFIX=prefix,
                DJANGO_LOGIN_FAILURE_LIMIT=5,
                # As behind nginx: the client's address comes from X-Forwarded-For, so
                # each simulated person has their own (rate limits, lockouts).
                DJANGO_PROXY_COUNT=1,
            )
        # B is another machine: it collects its own static files (meanwhile A prepares
        # the shared database).
        collect_b = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=ROOT,
            env=env["b"],
        )
        ids = prepare_site(
            env["a"],
            users=[
                {"username": "ops", "password": PASSWORD, "superuser": True},
                {"username": "mod", "password": PASSWORD, "groups": ["Moderators"]},
                {"username": "ed", "password": PASSWORD, "groups": ["Editors"]},
            ],
        )
        assert collect_b.wait(timeout=120) == 0
        for side in ("a", "b"):
            servers.append(Gunicorn(env[side], folder / side, workers=2, name=side, wait=False))
        for server in servers:
            server.wait_until_up()
        yield {"a": servers[0], "b": servers[1], "ids": ids, "secret": secret}
        for server in servers:
            assert "Traceback" not in server.output()
    finally:
        for server in servers:
            server.stop()
        drop_database(name)
        import redis as redis_client

        client = redis_client.Redis.from_url(redis)
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)


def test_a_comment_posted_through_one_is_in_the_queue_through_the_other(pair):
    body = "Posted through server A, moderated through server B."
    reader = Client(pair["a"].base, address=random_address())
    posted = reader.post(
        f"/comments/post/{SLUG}/", comment_data(pair["secret"], pair["ids"]["article"], body)
    )
    assert posted.status == 303, posted.text[:2000]

    moderator = Client(pair["b"].base)
    assert moderator.login("mod").status == 302
    queue = moderator.get("/admin/comments/comment/?status__exact=pending")
    assert queue.status == 200
    assert body[:40] in queue.text

    # Approved through B: readers of A see it at once.
    assert body not in Client(pair["a"].base).get(ARTICLE_URL).text
    [pk] = re.findall(r"/admin/comments/comment/(\d+)/change/", queue.text)[:1]
    approved = moderator.submit(
        "/admin/comments/comment/?status__exact=pending",
        {"action": "approve", "_selected_action": pk, "index": "0"},
        match=lambda form: form["id"] == "changelist-form",
    )
    assert approved.status == 302
    assert body in Client(pair["a"].base).get(ARTICLE_URL).text


def test_an_edit_saved_through_one_is_visible_at_once_through_the_other(pair):
    readers_of_b = Client(pair["b"].base)
    for _ in range(3):  # B has the page cached, in Redis and in its workers' memory
        assert "How psilocybin works" in readers_of_b.get(ARTICLE_URL).text

    editor = Client(pair["a"].base)
    assert editor.login("ed").status == 302
    section = pair["ids"]["sections"]["mechanism"]
    saved = editor.submit(
        f"/admin/articles/section/{section}/change/",
        {"title": "How it works (edited on A)", "change_note": "Plainer title"},
        match=lambda form: any(name == "body_markdown" for name, _ in form["fields"]),
    )
    assert saved.status == 302, saved.text[:2000]

    for _ in range(6):  # every answer of B, whichever worker gives it
        page = readers_of_b.get(ARTICLE_URL)
        assert page.status == 200
        assert "How it works (edited on A)" in page.text


def test_the_comment_rate_limit_holds_across_both(pair):
    """At most 5 comments per client per 10 minutes, counted in Redis for both servers."""
    seconds_into_window = time.time() % 600
    if seconds_into_window > 590:  # fixed windows: never straddle a boundary
        time.sleep(601 - seconds_into_window)
    address = random_address()
    statuses = []
    for n in range(6):
        server = pair["a"] if n % 2 == 0 else pair["b"]
        response = Client(server.base, address=address).post(
            f"/comments/post/{SLUG}/",
            comment_data(pair["secret"], pair["ids"]["article"], f"Rate limit comment {n}."),
        )
        statuses.append(response.status)
    assert statuses == [303, 303, 303, 303, 303, 429], statuses


def test_the_admin_lockout_holds_across_both(pair):
    """Five wrong passwords, split between A and B, lock the account out on both."""
    address = random_address()
    for n, side in enumerate("aabb"):
        client = Client(pair[side].base, address=address)
        response = client.login("ops", password=f"wrong password {n}")
        assert response.status == 200, response.status  # the login form again
        assert "Please enter the correct username and password" in response.text
    fifth = Client(pair["a"].base, address=address).login("ops", password="wrong password 5")
    assert fifth.status == 429, fifth.status
    for side in "ba":
        # The right password, too late.
        response = Client(pair[side].base, address=address).login("ops")
        assert response.status == 429, response.status
        assert "Too many failed sign-ins" in response.text
