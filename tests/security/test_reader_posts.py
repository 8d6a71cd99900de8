"""Readers' POSTs and what they reveal: cross-site posts known only by their Referer, the
report endpoint on ids that are not public, the feed's plain-text summary."""

import datetime
import xml.etree.ElementTree as etree

import pytest
from django.test import Client

from articles.models import Article, Feedback
from comments.models import Comment, Report, Status

from .conftest import ARTICLE_URL, SLUG

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def comment(published):
    return Comment.objects.create(
        article=published, name="Reader", body="Approved words.", status=Status.APPROVED
    )


# Referer-only cross-site posts ----------------------------------------------------------


@pytest.mark.parametrize(
    "referer", ["https://evil.example/page", "http://testserver.evil.example/", "not a url"]
)
def test_a_post_known_cross_site_only_by_its_referer_is_refused(
    client, published, comment, open_comments, referer
):
    """A browser that sends neither Origin nor Sec-Fetch-Site (old ones, some privacy
    settings) still sends Referer: from another site, the post is refused."""
    from tests.comments.conftest import form_data

    for url, data in (
        (f"/comments/post/{SLUG}/", form_data(published)),
        (f"/comments/{comment.pk}/report/", {}),
        (f"/articles/{SLUG}/feedback/", {"helpful": "yes"}),
    ):
        response = client.post(url, data, HTTP_REFERER=referer)
        assert response.status_code == 403, (url, referer)
    assert Comment.objects.count() == 1
    assert not Report.objects.exists() and not Feedback.objects.exists()


def test_a_same_site_referer_alone_is_accepted(client, published, open_comments):
    from tests.comments.conftest import form_data

    response = client.post(
        f"/comments/post/{SLUG}/",
        form_data(published),
        HTTP_REFERER=f"http://testserver{ARTICLE_URL}",
    )
    assert response.status_code == 303


# The report endpoint ----------------------------------------------------------------------


def test_reporting_reveals_neither_hidden_comments_nor_unpublished_articles(
    client, published, comment
):
    """Reporting a pending, rejected or missing comment, or one under an unpublished
    article, gets one and the same answer, which names no article."""
    draft = Article.objects.create(
        title="Not yet out", slug="secret-draft-slug", summary="s", status="draft"
    )
    hidden = [
        Comment.objects.create(article=published, name="p", body="pending"),
        Comment.objects.create(article=published, name="r", body="no", status=Status.REJECTED),
        Comment.objects.create(article=draft, name="d", body="draft", status=Status.APPROVED),
    ]
    missing = max(c.pk for c in hidden) + 100
    answers = set()
    for pk in [c.pk for c in hidden] + [missing]:
        response = client.post(f"/comments/{pk}/report/", HTTP_SEC_FETCH_SITE="same-origin")
        body = response.content.decode()
        assert "secret-draft-slug" not in body + response.get("Location", "")
        answers.add((response.status_code, response.get("Location")))
    assert len(answers) == 1, answers
    assert not Report.objects.exists()
    public = client.post(f"/comments/{comment.pk}/report/", HTTP_SEC_FETCH_SITE="same-origin")
    assert public.status_code == 303


# The feed -------------------------------------------------------------------------------


def test_the_feed_summary_is_plain_text(client, published):
    Article.objects.filter(pk=published.pk).update(
        summary="Dose <b>not</b> given & <script>x</script>",
        content_changed=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC),
    )
    feed = etree.fromstring(Client().get("/feed/").content)
    [entry] = feed.findall(f"{ATOM}entry")
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") in (None, "text")
    assert summary.text == "Dose <b>not</b> given & <script>x</script>"
