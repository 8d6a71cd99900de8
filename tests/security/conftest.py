"""Fixtures for the security suite: a small published article with a citation and a FAQ
(so the page has references and JSON-LD), users per role, and a reader who posts as a
browser on this site would."""

import datetime
import logging

import pytest
from django.conf import settings
from django.test import Client

from tests.articles.factories import article_with
from tests.citations.factories import CitationFactory

SLUG = "hostile-input-test"
ARTICLE_URL = f"/articles/{SLUG}/"
ADMIN = "/" + settings.ADMIN_URL
BROWSER = {
    "HTTP_ORIGIN": "http://testserver",
    "HTTP_SEC_FETCH_SITE": "same-origin",
    "HTTP_USER_AGENT": "Mozilla/5.0 (security suite)",
}


@pytest.fixture
def published(db):
    """A published article citing one source, with a FAQ (FAQPage JSON-LD)."""
    CitationFactory(key="trial2020")
    return article_with(
        {
            "overview": "A small trial found no benefit over placebo [@trial2020].",
            "faq": "### Does it help?\n\nOne trial found no benefit [@trial2020].",
        },
        slug=SLUG,
        title="Hostile input test article",
        published=datetime.date(2025, 6, 1),
    )


@pytest.fixture
def open_comments(settings):
    """Comment rules that would refuse a fast stream of posts from one client, relaxed."""
    settings.COMMENT_MIN_SECONDS = 0
    settings.COMMENT_RATE_LIMIT = (1_000_000, 600)
    settings.COMMENTS_PER_PAGE = 10_000


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def moderator(make_user):
    return make_user("morgan", groups=["Moderators"], email="mod@example.org")


@pytest.fixture
def editor(make_user):
    return make_user("edith", groups=["Editors"])


@pytest.fixture
def moderator_client(moderator):
    return logged_in(moderator)


@pytest.fixture
def editor_client(editor):
    return logged_in(editor)


@pytest.fixture
def all_logs(caplog):
    """Every log record of the request, at DEBUG, including the loggers that do not
    propagate to the root (django, axes, comments)."""
    loggers = [logging.getLogger(name) for name in settings.LOGGING.get("loggers", {})]
    saved = [(logger, logger.level) for logger in loggers]
    for logger in loggers:
        logger.addHandler(caplog.handler)
        logger.setLevel(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    yield caplog
    for logger, level in saved:
        logger.removeHandler(caplog.handler)
        logger.setLevel(level)
