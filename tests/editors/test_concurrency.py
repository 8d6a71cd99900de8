"""Editors who press Save at the same moment: exactly one save wins, every other one is
refused as a conflict, none is lost. Needs PostgreSQL (real concurrent writers)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection

from core.revisions import RevisionForm
from tests.editors.conftest import change_url, form_data, logged_in

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: SQLite serialises every writer, so it cannot show a race",
    ),
    pytest.mark.django_db(transaction=True),
]

EDITORS = 6
# Letters, not numbers: a number without a citation is refused (articles.validation).
NAMES = ["Ada", "Ben", "Cy", "Dee", "Eve", "Fay"]


def test_simultaneous_saves_from_one_version_keep_exactly_one(
    make_user, imported, overview, monkeypatch
):
    """Each editor opened version 1. All saves reach the version check together (a
    barrier), and each holds its check open a moment: without the row lock, several would
    pass and the last would silently overwrite the others."""
    clients = [logged_in(make_user(f"editor{n}", groups=["Editors"])) for n in range(EDITORS)]
    opened = [form_data(client.get(change_url(overview))) for client in clients]
    barrier = threading.Barrier(EDITORS)
    original_check = RevisionForm.check_version

    def slow_check(form, version):
        original_check(form, version)
        threading.Event().wait(0.3)  # still inside the transaction that holds the lock

    monkeypatch.setattr(RevisionForm, "check_version", slow_check)

    def save(n):
        data = {
            **opened[n],
            "body_markdown": f"Text written by editor {NAMES[n]}.",
            "change_note": f"Editor {NAMES[n]}'s change.",
        }
        try:
            barrier.wait(timeout=30)
            return clients[n].post(change_url(overview), data).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=EDITORS) as pool:
        statuses = list(pool.map(save, range(EDITORS)))

    assert sorted(statuses) == [200] * (EDITORS - 1) + [302]
    winner = statuses.index(302)
    overview.refresh_from_db()
    assert overview.body_markdown == f"Text written by editor {NAMES[winner]}."
    assert overview.version == 2
    assert overview.history.count() == 2
    assert overview.history.first().history_change_reason == f"Editor {NAMES[winner]}'s change."
