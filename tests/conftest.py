import os
import shutil
from pathlib import Path

import pytest
from django.core.cache import cache

from tests.support import content
from tests.support.skips import unavailable

ROOT = Path(__file__).resolve().parent.parent

# Printed by the controller under pytest-xdist, which loads no conftest below this one.
pytest_plugins = ["tests.security.report"]


@pytest.fixture(scope="session", autouse=True)
def fast_password_hasher():
    """Tests hash with MD5: production's PBKDF2 (a million iterations) costs most of a
    second per user, and tests make hundreds. What is tested is who may log in and do
    what, not the hasher; the servers the operations tests start keep production's."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def collected_static():
    """Production serves hashed files from STATIC_ROOT through whitenoise: so do tests."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(scope="session")
def live_server(request, collected_static):
    """pytest-django's live server, serving static files the way production does.

    Its default static handler looks files up through the finders, which know no hashed
    names, so pages would load without CSS or JavaScript. Passing requests straight to
    Django lets whitenoise serve the collected, hashed files from STATIC_ROOT.
    """
    from pytest_django.live_server_helper import LiveServer

    addr = request.config.getvalue("liveserver") or "localhost"
    server = LiveServer(addr, start=False)
    server.thread.static_handler = lambda application: application
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def content_rows(django_db_setup, django_db_blocker):
    """The rows content/ adds to an empty site, imported once per test process."""
    with django_db_blocker.unblock():
        return content.capture()


@pytest.fixture
def imported(db, content_rows):
    """The real content/ in the test database, as `make setup` imports it: the article."""
    from articles.models import Article

    content.restore(content_rows)
    return Article.objects.get(slug=content.SLUG)


@pytest.fixture(autouse=True)
def content_first(request):
    """A test that uses the content gets it before any other fixture writes: its rows keep
    the ids they were captured with, which a user made first would otherwise take."""
    if "imported" in request.fixturenames:
        request.getfixturevalue("imported")


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_user(django_user_model):
    """make_user("ed", groups=["Editors"]): a staff user in the given role groups."""
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    def make(username="someone", groups=(), password="a-long-test-password", **extra):
        if groups:
            call_command("setup_roles", verbosity=0, stdout=open(os.devnull, "w"))
        user = django_user_model.objects.create_user(
            username=username, password=password, is_staff=True, **extra
        )
        user.groups.set(Group.objects.filter(name__in=groups))
        return user

    return make


def chromium_path():
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        shutil.which("google-chrome"),
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
        "/Applications/Chromium.app/Contents/MacOS/Chromium",
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        unavailable("no Chromium found (set CHROMIUM_PATH or install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page


@pytest.fixture
def recorded_sources(settings):
    """Crossref and NCBI E-utilities answering from tests/data/sources/ on 127.0.0.1."""
    from tests.support.recorded_sources import RecordedSources

    with RecordedSources() as server:
        settings.CROSSREF_API_URL = f"{server.url}/crossref"
        settings.NCBI_EUTILS_URL = f"{server.url}/eutils"
        yield server


@pytest.fixture
def sources_unreachable(settings):
    """Crossref and NCBI as without a network: nothing listens on the port asked."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CROSSREF_API_URL = f"http://127.0.0.1:{port}/crossref"
    settings.NCBI_EUTILS_URL = f"http://127.0.0.1:{port}/eutils"
