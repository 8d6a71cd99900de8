"""Invalidation reaches every process: several gunicorn workers, no Redis (the file cache
every process on the machine shares). An edit or a moderation decision made through one
worker, or by a management command in another process, is seen at once through every
worker, including workers that hold the page in their own memory."""

import re
import secrets

import pytest

from tests.support.servers import Gunicorn, site_env

from .servers import (
    ARTICLE_URL,
    PASSWORD,
    SLUG,
    Client,
    burst,
    comment_data,
    manage,
    prepare_site,
)

pytestmark = pytest.mark.operations

WORKERS = 3


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("invalidation")
    secret = secrets.token_urlsafe(50)
    env = site_env(
        folder / "var",
        f"sqlite:///{folder / 'var' / 'db.sqlite3'}",
        secret,
        DJANGO_CACHE_DIR=folder / "cache",
    )
    (folder / "var").mkdir()
    ids = prepare_site(
        env,
        users=[
            {"username": "ops", "password": PASSWORD, "superuser": True},
            {"username": "mod", "password": PASSWORD, "groups": ["Moderators"]},
        ],
    )
    server = Gunicorn(env, folder, workers=WORKERS)
    try:
        yield {"env": env, "server": server, "ids": ids, "secret": secret}
    finally:
        server.stop()
    assert "Traceback" not in server.output()


def every_worker_sees(server, check, tries=4):
    """Concurrent GETs of the article until every worker has answered at least one; each
    answer must pass `check`. Returns the pids that answered."""
    workers = server.workers()
    assert len(workers) == WORKERS
    seen = set()
    for _ in range(tries):
        start = server.access_size()
        for response in burst(server.base, ARTICLE_URL):
            assert response.status == 200
            check(response)
        seen |= set(server.access_pids(since=start)) & workers
        if seen == workers:
            return seen
    pytest.fail(f"only workers {seen} of {workers} answered")


def test_an_edit_through_one_worker_is_seen_through_every_worker(site):
    server = site["server"]
    every_worker_sees(server, lambda r: "Overview" in r.text)  # each holds its copy now

    editor = Client(server.base)
    assert editor.login("ops").status == 302
    section = site["ids"]["sections"]["overview"]
    saved = editor.submit(
        f"/admin/articles/section/{section}/change/",
        {"title": "Overview, as corrected in the admin", "change_note": "Clearer title"},
        match=lambda form: any(name == "body_markdown" for name, _ in form["fields"]),
    )
    assert saved.status == 302, saved.text[:2000]

    every_worker_sees(server, lambda r: "Overview, as corrected in the admin" in r.text)


def test_a_management_command_in_another_process_is_seen_through_every_worker(site):
    server = site["server"]
    every_worker_sees(server, lambda r: "Key facts" in r.text)
    manage(
        site["env"],
        "shell",
        "--no-imports",
        "-c",
        "from articles.models import Section; "
        f"s = Section.objects.get(key='key-facts', article__slug='{SLUG}'); "
        "s.title = 'Key facts, from the command line'; s.save()",
    )
    every_worker_sees(server, lambda r: "Key facts, from the command line" in r.text)


def test_a_moderation_decision_through_one_worker_is_seen_through_every_worker(site):
    server = site["server"]
    reader = Client(server.base, user_agent="Mozilla/5.0 (invalidation reader)")
    body = "A comment that a moderator approves through one worker."
    posted = reader.post(
        f"/comments/post/{SLUG}/", comment_data(site["secret"], site["ids"]["article"], body)
    )
    assert posted.status == 303, posted.text[:2000]
    every_worker_sees(server, lambda r: body not in r.text)

    moderator = Client(server.base)
    assert moderator.login("mod").status == 302
    queue = moderator.get("/admin/comments/comment/?status__exact=pending")
    assert body[:40] in queue.text
    [pk] = re.findall(r"/admin/comments/comment/(\d+)/change/", queue.text)[:1]
    approved = moderator.submit(
        "/admin/comments/comment/?status__exact=pending",
        {"action": "approve", "_selected_action": pk, "index": "0"},
        match=lambda form: form["id"] == "changelist-form",
    )
    assert approved.status == 302, approved.text[:2000]

    every_worker_sees(server, lambda r: body in r.text)
