"""A comment form's token is good for one comment per reader: a script cannot reuse one
page's token for any number of posts. Readers of the same cached page each use it once,
and a reader asked to send again gets a fresh form with their text."""

import re

import pytest

from comments import spam
from comments.models import Comment

from .conftest import T0, aged_token, form_data, post_url

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"}


def send(client, article, token, body, ip="192.0.2.10"):
    data = form_data(article, body=body, token=token)
    return client.post(post_url(article), data, REMOTE_ADDR=ip, **BROWSER)


def test_one_token_sends_one_comment(client, clock, article, monkeypatch):
    token = aged_token(article)
    assert send(client, article, token, "First comment.").status_code == 303
    again = send(client, article, token, "Second comment, same page.")
    assert again.status_code == 400
    html = again.content.decode()
    assert "already used" in html
    assert "Second comment, same page." in html  # the text is kept
    assert Comment.objects.count() == 1

    fresh = re.search(r'name="token" value="([^"]+)"', html).group(1)
    assert fresh != token
    monkeypatch.setattr(spam, "now", lambda: T0 + 30)
    assert send(client, article, fresh, "Second comment, same page.").status_code == 303
    assert Comment.objects.count() == 2


def test_many_posts_with_one_token_store_one(client, clock, article, settings):
    settings.COMMENT_RATE_LIMIT = (1000, 600)
    token = aged_token(article)
    statuses = [send(client, article, token, f"Spam number {n}.").status_code for n in range(10)]
    assert statuses == [303] + [400] * 9
    assert Comment.objects.count() == 1


def test_readers_of_one_cached_page_each_use_its_token(client, clock, article):
    token = aged_token(article)
    for n in range(3):
        response = send(client, article, token, f"Reader {n} says hello.", ip=f"192.0.2.{n + 1}")
        assert response.status_code == 303
    assert Comment.objects.count() == 3


def test_a_double_click_is_still_received_once(client, clock, article):
    token = aged_token(article)
    for _ in range(2):
        assert send(client, article, token, "Sent twice by accident.").status_code == 303
    assert Comment.objects.count() == 1


def test_tokens_of_two_renders_differ(clock, article):
    assert spam.sign_timestamp(article.pk) != spam.sign_timestamp(article.pk)
