"""Load balancer probes: /healthz (process up) and /readyz (database ready)."""

import os
import subprocess
import sys

from tests.conftest import ROOT


def test_healthz_touches_nothing(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_ok_when_database_is_migrated(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_readyz_503_when_database_unreachable():
    """Nothing listens on port 9: the database is really unreachable."""
    code = (
        "from django.test import Client; r = Client().get('/readyz'); "
        "print(r.status_code, r.json()['status'])"
    )
    env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "503 unavailable", result.stdout + result.stderr
    assert "Traceback" not in result.stdout
