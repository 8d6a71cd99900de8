"""What reaches the app and its logs through gunicorn started as `make serve` does
(config/gunicorn.conf.py): no client may set WSGI variables through headers, and neither
log keeps a client address or a query string."""

import re
import secrets
import socket
import time

import pytest

from tests.conftest import ROOT
from tests.support.servers import Gunicorn, site_env

from .servers import PASSWORD, Client, prepare_site

EMAIL = "reader.searched@example.org"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gunicorn")
    env = site_env(
        folder / "var",
        f"sqlite:///{folder / 'var' / 'db.sqlite3'}",
        secrets.token_urlsafe(50),
        DJANGO_CACHE_DIR=folder / "cache",
    )
    (folder / "var").mkdir()
    prepare_site(env, users=[{"username": "mod", "password": PASSWORD, "superuser": True}])
    server = Gunicorn(env, folder, workers=2)
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize("header", ["SCRIPT_NAME", "PATH_INFO"])
def test_a_wsgi_header_cannot_change_what_another_reader_gets(server, header):
    """From 127.0.0.1, which gunicorn trusts as a proxy: the header must be ignored, or
    the home page would be served (and cached) as the privacy page."""
    value = "/privacy" if header == "SCRIPT_NAME" else "/"
    sneaky = Client(server.base).get("/privacy/", **{header: value})
    assert sneaky.status == 200
    assert "<h1>Privacy</h1>" in sneaky.text
    for _ in range(4):  # every worker, from the cache or not
        reader = Client(server.base).get("/privacy/")
        assert "<h1>Privacy</h1>" in reader.text


def raw_request(server, data):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(data)
        return connection.recv(4096)


def test_logs_keep_no_search_and_no_client_address(server):
    started_at = len(server.output())  # startup lines name the address it listens on
    access_at = server.access_size()
    moderator = Client(server.base)
    assert moderator.login("mod").status == 302
    search = moderator.get(f"/admin/comments/comment/?q={EMAIL.replace('@', '%40')}")
    assert search.status == 200
    assert moderator.get(f"/admin/comments/comment/?q={EMAIL}").status == 200
    malformed = raw_request(server, f"GET /?email={EMAIL} HTTP/1.1 extra\r\n\r\n".encode())
    assert malformed.startswith(b"HTTP/1.1 400")
    bad_version = raw_request(server, f"GET /?email={EMAIL} HTTP/9.9\r\n\r\n".encode())
    assert bad_version.startswith(b"HTTP/1.1 400")
    time.sleep(0.5)  # the logs are written by the workers

    access = server.access_path.read_text()[access_at:]
    errors = server.output()[started_at:]
    assert "/admin/comments/comment/" in access  # the request is there, its query not
    assert "Invalid request" in errors
    for log in (access, errors):
        assert "example.org" not in log and "%40" not in log
        assert "127.0.0.1" not in log
        assert "?" not in log


def test_the_nginx_access_log_keeps_no_address_and_no_query():
    """deploy/nginx: its log format names neither the client nor the query string."""
    conf = (ROOT / "deploy" / "nginx" / "evidence-health.conf").read_text()
    [log_format] = re.findall(r"log_format evidence_health_noaddress (.*?);", conf, re.S)
    variables = set(re.findall(r"\$(\w+)", log_format))
    assert "uri" in variables
    for leaks in ("remote_addr", "http_x_forwarded_for", "request", "request_uri", "args"):
        assert leaks not in variables
    assert "access_log /var/log/nginx/evidence-health.access.log evidence_health_noaddress" in conf
