"""Moderators are emailed about new pending comments, after commit, without the
commenter's email address, and not once per comment on a busy day."""

import logging

import pytest

from comments.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderators(make_user):
    make_user("mod1", groups=["Moderators"], email="mod1@example.org")
    make_user("mod2", groups=["Moderators"], email="")  # no address: not emailed
    make_user("ed", groups=["Editors"], email="ed@example.org")  # not a moderator
    make_user("gone", groups=["Moderators"], email="gone@example.org", is_active=False)


def test_moderators_with_email_are_told_after_commit(
    article, moderators, post_comment, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    """A new pending comment emails the active moderators with an address, once the
    comment is committed; neither the mail nor the log carries the commenter's email."""
    caplog.set_level(logging.INFO, logger="comments")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_comment(article, email="private.reader@example.org", body="Hello there")
    assert mailoutbox == []  # nothing before commit
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["mod1@example.org"]
    assert "waiting for moderation" in mail.subject
    assert "/admin/comments/comment/?status__exact=pending" in mail.body
    assert "private.reader" not in mail.body + mail.subject
    assert "private.reader" not in caplog.text
    assert "stored as pending" in caplog.text


def test_ordinary_comments_are_throttled_risky_ones_are_not(
    article, moderators, post_comment, mailoutbox, django_capture_on_commit_callbacks
):
    """Within the interval, a second ordinary comment sends no email; a risky one always
    does, marked as needing care."""
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(article, body="first", ua="a")
        post_comment(article, body="second", ua="b")
        post_comment(article, body="I keep thinking about suicide", ua="c")
    assert [m.subject for m in mailoutbox] == [
        "a comment is waiting for moderation",
        "Needs care: a comment is waiting for moderation",
    ]
    assert "mentions self-harm or suicide" in mailoutbox[1].body
    assert "Comments waiting: 3." in mailoutbox[1].body


def test_spam_sends_no_email(
    article, moderators, post_comment, mailoutbox, django_capture_on_commit_callbacks
):
    """A comment stored as spam does not disturb moderators."""
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(article, website="http://bot.example")
    assert Comment.objects.get().status == "spam"
    assert mailoutbox == []


def test_mail_failure_does_not_lose_the_comment(
    article, moderators, post_comment, settings, django_capture_on_commit_callbacks
):
    """If the mail server fails, the comment is kept and the reader still gets the notice."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # discard: nothing listens
    settings.EMAIL_TIMEOUT = 1
    with django_capture_on_commit_callbacks(execute=True):
        response = post_comment(article)
    assert response.status_code == 303
    assert Comment.objects.count() == 1
