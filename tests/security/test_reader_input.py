"""Hostile input in every field a reader types into: the comment form (name, email,
body, the hidden honeypot and token), the comment report button and the feedback form.

For each string: the answer is a redirect (stored) or a clear 4xx page that keeps what
was typed, never a 500; every page is parsed (html5lib) and holds no script, on*
attribute or javascript: URL from the input. Stored comments are then approved and
shown on the article page, and in the moderators' list and change forms, with the same
checks; feedback reasons are shown in the editors' feedback list.

The full corpus (hostile strings plus the Big List of Naughty Strings) goes through
each endpoint in one loop; a sample is parametrized, one test per string, through the
whole path from form to moderation to page.
"""

import pytest
from django.conf import settings
from django.test import TestCase

from articles.admin import FeedbackAdmin
from articles.models import Feedback
from comments import moderation
from comments.admin import CommentAdmin
from comments.models import Comment, Status
from tests.comments.conftest import aged_token

from . import tally
from .checks import as_browser_shows, assert_safe, field_value, parse
from .conftest import ADMIN, ARTICLE_URL, BROWSER, SLUG
from .corpus import EVERYTHING, HOSTILE, ident, sample

pytestmark = pytest.mark.django_db

POST_URL = f"/comments/post/{SLUG}/"
FEEDBACK_URL = f"/articles/{SLUG}/feedback/"
COMMENTS_ADMIN = ADMIN + "comments/comment/"
# Addresses Django's EmailValidator accepts (a quoted local part may hold almost
# anything): stored, so shown to moderators on the change form.
HOSTILE_EMAILS = [
    '"<script>alert(1)</script>"@example.org',
    '"\\"onmouseover=alert(1)//"@example.org',
    '"<img\\ src=x\\ onerror=alert(1)>"@example.org',
    "javascript.alert@example.org",
    "o'brien+{{7*7}}@example.org",
]


def comment_data(article, **fields):
    data = {"name": "Sam", "email": "", "body": "A comment.", "website": ""}
    data["token"] = aged_token(article)
    data.update(fields)
    return data


def send(client, article, ua=BROWSER["HTTP_USER_AGENT"], **fields):
    headers = {**BROWSER, "HTTP_USER_AGENT": ua}
    return client.post(POST_URL, comment_data(article, **fields), **headers)


def comments_on(response):
    return [li for li in parse(response.content).iter("li") if "comment" in li.get("class", "")]


def assert_refused_and_kept(response, typed, baseline):
    """A 4xx page, safe, with each typed value back in its field as the reader left it."""
    assert 400 <= response.status_code < 500, response.status_code
    assert_safe(response, *typed.values(), baseline=baseline)
    html = response.content.decode()
    for name, value in typed.items():
        assert field_value(html, name) == as_browser_shows(value), (name, value)


@pytest.fixture
def refusal_baseline(client, published, open_comments):
    """The page a reader gets for a refused comment with nothing hostile in it."""
    return send(client, published, name="").content.decode()


@pytest.fixture
def many_per_page(monkeypatch):
    monkeypatch.setattr(CommentAdmin, "list_per_page", 5000)
    monkeypatch.setattr(FeedbackAdmin, "list_per_page", 5000)


@pytest.mark.slow
def test_every_string_in_every_comment_field_at_once(client, published, refusal_baseline):
    """Each string in the name, the next in the email, the one after in the body: every
    string reaches every field once; whatever is refused comes back as typed."""
    n = len(EVERYTHING)
    for i in range(n):
        typed = {
            "name": EVERYTHING[i],
            "email": EVERYTHING[(i + 1) % n],
            "body": EVERYTHING[(i + 2) % n],
        }
        response = send(client, published, **typed)
        tally.sent("comment: name", typed["name"])
        tally.sent("comment: email", typed["email"])
        tally.sent("comment: body", typed["body"])
        if response.status_code == 303:
            continue
        assert_refused_and_kept(response, typed, refusal_baseline)


@pytest.mark.slow
def test_stored_hostile_comments_are_text_on_the_page_and_in_moderation(
    client, published, open_comments, moderator, moderator_client, many_per_page
):
    """Every string stored as a name and as a body, approved, then shown to readers and
    to moderators: no markup from them anywhere."""
    before = client.get(ARTICLE_URL).content.decode()
    stored = 0
    for i, text in enumerate(EVERYTHING):
        for fields in ({"name": text, "body": f"Comment {i}."}, {"body": text or "."}):
            response = send(client, published, **fields)
            tally.sent("comment: name" if "name" in fields else "comment: body", text)
            assert response.status_code in (303, 400), response.status_code
            if response.status_code == 303:
                stored += 1
            else:
                assert_safe(response, text)
    for email in HOSTILE_EMAILS:
        response = send(client, published, email=email, body=f"Reply to me ({len(email)}).")
        tally.sent("comment: email", email)
        assert response.status_code == 303, email
        stored += 1
    # Strings that differ only in case or spacing ("null", "NULL") are one comment to
    # the duplicate check: answered as received, stored once.
    stored = Comment.objects.count()
    assert stored > len(EVERYTHING)

    with TestCase.captureOnCommitCallbacks(execute=True):
        moderation.approve(Comment.objects.all(), moderator)
    page = client.get(ARTICLE_URL)
    assert_safe(page, *EVERYTHING, baseline=before)
    assert len(comments_on(page)) == stored

    listing = moderator_client.get(COMMENTS_ADMIN)
    assert listing.status_code == 200
    assert_safe(listing, *EVERYTHING, *HOSTILE_EMAILS)
    for email in HOSTILE_EMAILS:
        # The list never shows addresses; a change form shows it to moderators, escaped.
        assert email not in listing.content.decode()
        comment = Comment.objects.get(email=email)
        form = moderator_client.get(f"{COMMENTS_ADMIN}{comment.pk}/change/")
        assert_safe(form, email)


@pytest.mark.parametrize("text", sample(HOSTILE, 6), ids=ident)
def test_one_string_from_form_to_moderation_to_page(
    client, published, open_comments, moderator, moderator_client, text
):
    """One string as name, body and honeypot, then as a moderator's reply and note:
    the change form, the list, the approved page and the editorial reply are safe."""
    before = client.get(ARTICLE_URL).content.decode()
    for fields in ({"name": text, "body": text}, {"body": f"{text} (2)"}, {"website": text}):
        response = send(client, published, **fields)
        assert response.status_code in (303, 400)
        if response.status_code == 400:
            assert_refused_and_kept(response, {k: fields[k] for k in fields if k != "website"}, "")
    tally.sent("comment: website (honeypot)", text)
    comment = Comment.objects.filter(status=Status.PENDING).order_by("pk").last()
    change_url = f"{COMMENTS_ADMIN}{comment.pk}/change/"
    form = moderator_client.get(change_url)
    assert_safe(form, text)
    with TestCase.captureOnCommitCallbacks(execute=True):
        saved = moderator_client.post(
            change_url,
            {
                "status": Status.APPROVED,
                "opened_version": comment.version,
                "moderation_note": text or ".",
                "reply_template": "",
                "reply": text or ".",
                **{f"decisions-{k}": v for k, v in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))},
            },
        )
    tally.sent("moderation: reply", text)
    tally.sent("moderation: note", text)
    assert saved.status_code in (200, 302), saved.status_code
    if saved.status_code == 200:
        assert_safe(saved, text)
    with TestCase.captureOnCommitCallbacks(execute=True):
        moderation.approve(Comment.objects.all(), moderator)
    assert_safe(client.get(ARTICLE_URL), text, baseline=before)
    assert_safe(moderator_client.get(COMMENTS_ADMIN), text)
    assert_safe(moderator_client.get(change_url), text)
    assert_safe(moderator_client.get(f"{COMMENTS_ADMIN}?q={text[:50]}"), text)


@pytest.mark.slow
def test_hostile_tokens_are_refused_with_the_text_kept(client, published, refusal_baseline):
    for token in EVERYTHING:
        typed = {"name": "Sam", "body": "Kept text."}
        response = client.post(POST_URL, {**typed, "token": token}, **BROWSER)
        tally.sent("comment: token", token)
        assert_refused_and_kept(response, typed, refusal_baseline)
        assert "This form could not be checked" in response.content.decode()


def test_refusals_are_clear_4xx_pages_that_keep_the_text(client, published, settings):
    """Too long, too many links, NUL bytes, too fast, too many: 4xx, text kept."""
    settings.COMMENT_MIN_SECONDS = 0
    long_body = "x" * (settings.COMMENT_MAX_LENGTH + 1)
    cases = [
        ({"body": long_body}, "the limit is 3,000"),
        ({"body": "y" * 100_000}, "the limit is 3,000"),
        ({"name": "n" * 81}, "at most 80 characters"),
        ({"name": "n" * 100_000}, "at most 80 characters"),
        ({"body": "a https://a.example b https://b.example c https://c.example"}, "3 links"),
        ({"name": "www.shop.example"}, "not a web address"),
        ({"body": "nul\x00byte"}, "Null characters are not allowed"),
        ({"name": "nul\x00name"}, "Null characters are not allowed"),
        ({"email": "nul\x00@example.org"}, ""),
        ({"email": "x" * 300 + "@example.org"}, ""),
    ]
    for fields, message in cases:
        typed = {"name": "Sam", "email": "", "body": "Fine.", **fields}
        response = send(client, published, **typed)
        assert_refused_and_kept(response, typed, "")
        assert message in response.content.decode()
        for name, value in fields.items():
            tally.sent(f"comment: {name}", value)

    settings.COMMENT_MIN_SECONDS = 30
    typed = {"name": "Quick", "body": "Sent at once."}
    response = client.post(
        POST_URL, {**typed, "token": aged_token(published, seconds=1)}, **BROWSER
    )
    assert_refused_and_kept(response, typed, "")
    assert "very quick" in response.content.decode()

    settings.COMMENT_MIN_SECONDS = 0
    settings.COMMENT_RATE_LIMIT = (1, 600)
    send(client, published, body="First.")
    typed = {"name": "Sam", "body": "Second, too soon."}
    response = send(client, published, **typed)
    assert response.status_code == 429 and response["Retry-After"]
    assert_refused_and_kept(response, typed, "")
    assert "your text is still here" in response.content.decode()


@pytest.mark.parametrize("size", [300 * 1024, 1024 * 1024])
def test_overlong_bodies_are_400_not_500(client, published, size):
    """Bodies over DATA_UPLOAD_MAX_MEMORY_SIZE (256 KB) are refused before any form."""
    assert size > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    comment = Comment.objects.create(
        article=published, name="R", body="To report", status=Status.APPROVED
    )
    for url in (POST_URL, FEEDBACK_URL, f"/comments/{comment.pk}/report/"):
        response = client.post(url, comment_data(published, body="z" * size), **BROWSER)
        assert response.status_code in (400, 413), (url, response.status_code)
        assert_safe(response)
    tally.sent("comment: body", f"{size} bytes")


RAW_BODIES = [
    b"name=%FF%FE&body=%C0%AF%ED%A0%80",
    b"name=\xff\xfe&body=\xc0\xaf\xed\xa0\x80\xf8\x88\x80\x80\x80",
    b"name=Sam&body=ok\xe2\x28\xa1&token=\x80",
    b"\xef\xbb\xbfname=Sam&body=%00%00",
    b"name=" + b"%" * 5000,
    b"&&&===&&&",
    b"name[]=a&name[]=b&body=c",
    b"body=" + b"%E2%80%AE" * 100,
]


def test_invalid_utf8_and_odd_raw_bodies(client, published, open_comments):
    """Raw form bodies with invalid UTF-8, truncated escapes and odd shapes: a 303 or a
    4xx page, never a 500, to the comment, feedback and report endpoints."""
    comment = Comment.objects.create(
        article=published, name="R", body="To report", status=Status.APPROVED
    )
    urls = [POST_URL, FEEDBACK_URL, f"/comments/{comment.pk}/report/"]
    for body in RAW_BODIES:
        for url in urls:
            for content_type in (
                "application/x-www-form-urlencoded",
                "application/x-www-form-urlencoded; charset=latin-1",
                "multipart/form-data; boundary=x",
                "text/plain",
            ):
                response = client.generic("POST", url, body, content_type=content_type, **BROWSER)
                assert response.status_code in (303, 400, 413), (url, body, response.status_code)
                assert_safe(response)
        tally.sent("comment: raw body", body)
        tally.sent("feedback: raw body", body)
        tally.sent("comment report: raw body", body)


def test_multipart_with_invalid_utf8_in_fields(client, published, open_comments):
    boundary = b"BoUnDaRy"
    parts = [
        (b"name", b"\xff\xfeSam"),
        (b"email", b"\xc0@example.org"),
        (b"body", b"<script>\xed\xa0\x80</script>"),
        (b"token", aged_token(published).encode()),
    ]
    body = b"".join(
        b"--" + boundary + b'\r\nContent-Disposition: form-data; name="' + name + b'"\r\n\r\n'
        + value + b"\r\n"
        for name, value in parts
    ) + b"--" + boundary + b"--\r\n"  # fmt: skip
    response = client.generic(
        "POST", POST_URL, body, content_type="multipart/form-data; boundary=BoUnDaRy", **BROWSER
    )
    assert response.status_code in (303, 400)
    assert_safe(response, "<script>")


@pytest.mark.slow
def test_report_button_with_hostile_page_numbers(client, published):
    comment = Comment.objects.create(
        article=published, name="R", body="To report", status=Status.APPROVED
    )
    url = f"/comments/{comment.pk}/report/"
    for value in EVERYTHING + ["0", "-1", "9" * 5000, "1e9", "٣", "²", "99999999999999999999"]:
        response = client.post(url, {"page": value}, **BROWSER)
        tally.sent("comment report: page", value)
        assert response.status_code == 303, value
        location = response["Location"]
        assert location.startswith(ARTICLE_URL + "?") and location.endswith("#comments")
        assert "<" not in location and '"' not in location
    for pk in ("0", "99999999999999999999", "-1", "1.0", "%3Cscript%3E", "1%00"):
        response = client.post(f"/comments/{pk}/report/", {}, **BROWSER)
        tally.sent("comment report: path", pk)
        assert response.status_code == 404, pk
        assert_safe(response)


@pytest.mark.slow
def test_feedback_reasons(client, published, editor_client, many_per_page):
    """Every string as a feedback reason (and as the yes/no answer): stored or refused
    with the text kept, then shown to editors in the feedback list."""
    before = client.post(FEEDBACK_URL, {"reason": "kept"}, **BROWSER).content.decode()
    for i, text in enumerate(EVERYTHING):
        # An address answers a few times a day: an address of its own per string.
        headers = {**BROWSER, "REMOTE_ADDR": f"10.{i // 250}.{i % 250}.1"}
        response = client.post(FEEDBACK_URL, {"helpful": "no", "reason": text}, **headers)
        tally.sent("feedback: reason", text)
        if response.status_code == 303:
            continue
        assert_refused_and_kept(response, {"reason": text}, before)
        response = client.post(FEEDBACK_URL, {"helpful": text, "reason": "kept"}, **headers)
        tally.sent("feedback: helpful", text)
        assert response.status_code in (303, 400)
        if response.status_code == 400:
            assert_refused_and_kept(response, {"reason": "kept"}, before)
    for text in EVERYTHING:
        response = client.post(FEEDBACK_URL, {"helpful": text, "reason": "kept"}, **BROWSER)
        tally.sent("feedback: helpful", text)
        assert response.status_code in (303, 400), text
        assert_safe(response, text, baseline=before)
    assert Feedback.objects.count() > len(EVERYTHING) // 2
    listing = editor_client.get(ADMIN + "articles/feedback/")
    assert listing.status_code == 200
    assert_safe(listing, *EVERYTHING)
    long = client.post(FEEDBACK_URL, {"helpful": "no", "reason": "r" * 600}, **BROWSER)
    assert_refused_and_kept(long, {"reason": "r" * 600}, before)
    assert "Please keep it to 500 characters (you wrote 600)" in long.content.decode()
