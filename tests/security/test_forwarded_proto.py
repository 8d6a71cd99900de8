"""`X-Forwarded-Proto: https` is believed only from the proxies gunicorn is told to trust
(GUNICORN_FORWARDED_ALLOW_IPS), never from any client: otherwise a client on plain HTTP
could claim HTTPS, skip the redirect to it and be served as if its connection were
private."""

import pytest

from tests.operations.servers import Client
from tests.support.servers import Gunicorn, site_env

pytestmark = pytest.mark.django_db


def test_a_client_header_does_not_make_a_request_secure(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/robots.txt", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    assert client.get("/robots.txt", secure=True).status_code == 200


@pytest.mark.parametrize(("trusted", "status"), [("127.0.0.1", 200), ("192.0.2.1", 301)])
def test_gunicorn_believes_the_header_only_from_a_trusted_proxy(tmp_path, trusted, status):
    env = site_env(
        tmp_path,
        f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "x" * 60,
        DJANGO_SECURE_SSL_REDIRECT="1",
        GUNICORN_FORWARDED_ALLOW_IPS=trusted,
    )
    server = Gunicorn(env, tmp_path, workers=1)
    try:
        client = Client(server.base)
        response = client.get("/robots.txt", **{"X-Forwarded-Proto": "https"})
        assert response.status == status, server.output()
        for header in ("X-Forwarded-Protocol", "X-Forwarded-Ssl"):
            value = "ssl" if header.endswith("Protocol") else "on"
            assert client.get("/robots.txt", **{header: value}).status == 301, header
    finally:
        server.stop()
