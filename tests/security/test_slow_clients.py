"""Slow clients (a connection that sends its request a byte at a time) are held by nginx,
never by gunicorn's sync workers: the README's decision rests on these defaults. `make
serve` listens on loopback only; the shipped nginx buffers whole requests and drops
clients that dawdle over their headers or body."""

import re

from tests.conftest import ROOT

APP_CONF = (ROOT / "deploy/nginx/evidence-health-app.conf").read_text()


def seconds(setting):
    match = re.search(rf"^\s*{setting}\s+(\d+)s;", APP_CONF, re.M)
    assert match, f"{setting} is not set"
    return int(match.group(1))


def test_make_serve_and_gunicorn_listen_on_loopback_by_default():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^HOST \?= 127\.0\.0\.1$", makefile, re.M)
    gunicorn_conf = (ROOT / "config/gunicorn.conf.py").read_text()
    assert 'os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")' in gunicorn_conf


def test_nginx_drops_slow_clients_before_they_reach_a_worker():
    assert seconds("client_header_timeout") <= 15
    assert seconds("client_body_timeout") <= 15
    # Buffering the request (nginx's default) is what keeps a slow upload off a worker.
    assert not re.search(r"proxy_request_buffering\s+off", APP_CONF)
