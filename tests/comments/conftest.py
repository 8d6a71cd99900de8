"""Fixtures for the comments tests: a published article and form data that passes the
signed-timestamp rule (a token signed in the past, rather than a sleep)."""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from articles.models import Article, Section
from comments import spam
from comments.models import Comment, Status
from tests.support.content import SLUG


@pytest.fixture
def article(db):
    article = Article.objects.create(
        title="Can microdosing help with derealization?",
        slug=SLUG,
        summary="What the studies say.",
        status="published",
        published=date.today(),
    )
    Section.objects.create(
        article=article,
        key="overview",
        title="Overview",
        order=0,
        body_markdown="x",
        body_html="<p>x</p>",
    )
    return article


@pytest.fixture
def other_article(db):
    return Article.objects.create(
        title="Another article",
        slug="another",
        summary="More.",
        status="published",
        published=date.today(),
    )


T0 = 1_800_000_000  # a fixed "now" for the rules that depend on the clock


@pytest.fixture
def clock(monkeypatch):
    """Freeze comments.spam.now at T0 so boundaries are exact, not off by a millisecond."""
    monkeypatch.setattr(spam, "now", lambda: T0)
    return T0


def aged_token(article, seconds=60):
    """A form token as the page would have signed it `seconds` ago."""
    return spam.sign_timestamp(article.pk, when=spam.now() - seconds)


def form_data(article, body="A thoughtful comment.", name="Sam", **extra):
    data = {"name": name, "email": "", "body": body, "website": "", "token": aged_token(article)}
    data.update(extra)
    return data


def post_url(article):
    return reverse("comments:post", args=[article.slug])


@pytest.fixture
def post_comment(client):
    """post_comment(article, body=..., **fields, ua=..., ip=...) → response, as a browser would."""

    def post(article, ua="Mozilla/5.0 (test reader)", ip="127.0.0.1", **fields):
        return client.post(
            post_url(article),
            form_data(article, **fields),
            REMOTE_ADDR=ip,
            HTTP_USER_AGENT=ua,
            HTTP_ORIGIN="http://testserver",
            HTTP_SEC_FETCH_SITE="same-origin",
        )

    return post


def approved(article, body="Approved comment", name="Reader", **extra):
    return Comment.objects.create(
        article=article, name=name, body=body, status=Status.APPROVED, **extra
    )


@pytest.fixture
def moderator(make_user):
    return make_user("mod", groups=["Moderators"], email="mod@example.org")


MAX_LENGTH = settings.COMMENT_MAX_LENGTH


def pytest_terminal_summary(terminalreporter):
    """The self-harm lexicon's score on the labelled set, when its test ran."""
    from .risk_samples import LEXICON_SCORE

    reports = [r for key in ("passed", "failed") for r in terminalreporter.stats.get(key, [])]
    scores = [
        value
        for report in reports
        for name, value in getattr(report, "user_properties", [])
        if name == LEXICON_SCORE
    ]
    if not scores:
        return
    score = scores[-1]
    terminalreporter.write_sep("-", "self-harm lexicon on the labelled set")
    terminalreporter.write_line(
        f"recall {score['recall']:.1%} ({score['flagged']}/{score['signs']} warning signs "
        f"flagged); false alarms {score['alarms']}/{score['everyday']} everyday comments "
        f"({score['alarms'] / score['everyday']:.1%}; target at most 1 in 15)"
    )
    for text in score["missed"]:
        terminalreporter.write_line(f"  missed: {text}")
    for text in score["false_alarms"]:
        terminalreporter.write_line(f"  false alarm: {text}")
