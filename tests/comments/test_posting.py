"""Posting a comment: post/redirect/get, the anti-spam rules at their boundaries, and
refused submissions that keep the reader's text."""

import re

import pytest
from django.conf import settings
from django.core import signing

from comments import spam
from comments.models import BlockedTerm, Comment, Status

from .conftest import MAX_LENGTH, T0, form_data, post_url

pytestmark = pytest.mark.django_db


def token_aged(article, seconds):
    return spam.sign_timestamp(article.pk, when=T0 - seconds)


def page_html(response):
    return response.content.decode()


# Post/redirect/get ---------------------------------------------------------------------


def test_accepted_comment_redirects_303_and_waits_for_moderation(client, article, post_comment):
    """A good comment is stored once as pending, the reader is redirected (303) to the
    article with the notice, and the comment is not on the page."""
    response = post_comment(article, body="My own experience was mixed.")
    assert response.status_code == 303
    assert response["Location"] == article.get_absolute_url() + "?comment=received#comment-form"
    comment = Comment.objects.get()
    assert comment.status == Status.PENDING
    page = client.get(response["Location"])
    html = page_html(page)
    assert "Thank you — your comment will appear once a moderator has approved it" in html
    assert "My own experience was mixed." not in html


def test_notice_only_after_redirect(client, article):
    """Without ?comment=received the page shows no notice."""
    html = page_html(client.get(article.get_absolute_url()))
    assert "your comment will appear once a moderator" not in html


def test_anonymous_article_get_and_post_set_no_cookie(client, article, post_comment):
    """Readers get no cookie: not from the article page (no csrf_token, no session) and not
    from posting a comment, accepted or refused."""
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    assert "csrfmiddlewaretoken" not in page_html(response)
    assert not post_comment(article).cookies
    assert not post_comment(article, body="").cookies
    assert not client.cookies


def test_cross_site_post_is_refused(client, article):
    """A POST that the browser says came from another site is refused (403), stores nothing."""
    for headers in (
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
    ):
        response = client.post(post_url(article), form_data(article), **headers)
        assert response.status_code == 403
    assert not Comment.objects.exists()


def test_opening_the_post_address_leads_to_the_form(client, article):
    """Opening the form's address again (a reload, a new tab) is not a blank 405: it
    redirects to the comment form on the article, and stores nothing."""
    response = client.get(post_url(article))
    assert response.status_code == 303
    assert response["Location"] == article.get_absolute_url() + "#comment-form"
    assert not Comment.objects.exists()


def test_unpublished_article_takes_no_comments(client, article, post_comment):
    """Comments go only to published articles."""
    article.status = "draft"
    article.save()
    assert post_comment(article).status_code == 404


# Refused submissions keep the text ------------------------------------------------------


def test_empty_comment_is_refused_with_reason(article, post_comment):
    """An empty (or blank) comment or name is refused with 400 and a clear reason."""
    for fields, message in (
        ({"body": ""}, "Write your comment."),
        ({"body": " \r\n \t "}, "Write your comment."),
        ({"name": "   "}, "Enter a name to show."),
    ):
        response = post_comment(article, **fields)
        assert response.status_code == 400
        html = page_html(response)
        assert message in html
        assert 'role="alert"' in html
    assert not Comment.objects.exists()


def test_body_at_limit_accepted_one_over_refused_with_text_kept(article, post_comment):
    """COMMENT_MAX_LENGTH characters are accepted; one more is refused (400), the form
    shows the reader's whole text again, marked invalid, with the reason."""
    assert post_comment(article, body="a" * MAX_LENGTH).status_code == 303
    long_text = "Line & <one>\n" + "b" * (MAX_LENGTH - 12)
    assert len(long_text) == MAX_LENGTH + 1
    response = post_comment(article, body=long_text, name="Ana")
    assert response.status_code == 400
    html = page_html(response)
    assert f"the limit is {MAX_LENGTH:,}" in html
    assert "Line &amp; &lt;one&gt;\n" + "b" * (MAX_LENGTH - 12) + "</textarea>" in html
    assert 'value="Ana"' in html
    assert 'aria-invalid="true"' in html
    assert Comment.objects.count() == 1


def test_line_breaks_count_once(article, post_comment):
    """Browsers send line breaks as CR LF; the limit counts each as one character."""
    body = ("x" * 9 + "\r\n") * (MAX_LENGTH // 10)
    assert len(body.replace("\r\n", "\n")) == MAX_LENGTH
    assert post_comment(article, body=body).status_code == 303


def test_invalid_email_refused(article, post_comment):
    """The email is optional, but a malformed one is refused with a reason."""
    response = post_comment(article, email="not an address")
    assert response.status_code == 400
    assert "Enter an email address like" in page_html(response)
    assert post_comment(article, email="sam@example.org").status_code == 303


# Signed timestamp -----------------------------------------------------------------------


def test_too_fast_boundary(clock, article, post_comment):
    """A form sent less than COMMENT_MIN_SECONDS after the page was made is refused with
    the text kept; at exactly the minimum it is accepted."""
    minimum = settings.COMMENT_MIN_SECONDS
    response = post_comment(article, body="quick", token=token_aged(article, minimum - 1))
    assert response.status_code == 400
    html = page_html(response)
    assert "That was very quick" in html
    assert ">\nquick</textarea>" in html
    assert (
        post_comment(article, body="quick", token=token_aged(article, minimum)).status_code == 303
    )


def test_too_old_boundary(clock, article, post_comment):
    """A form older than COMMENT_MAX_AGE_SECONDS is refused; at the maximum it is accepted.
    The maximum is generous: a cached page may be ten minutes old when a reader opens it."""
    maximum = settings.COMMENT_MAX_AGE_SECONDS
    assert maximum >= 2 * settings.PAGE_CACHE_SECONDS
    response = post_comment(article, body="late", token=token_aged(article, maximum + 1))
    assert response.status_code == 400
    assert "the form has expired" in page_html(response)
    assert post_comment(article, body="late", token=token_aged(article, maximum)).status_code == 303


def test_refused_form_carries_a_fresh_token(clock, article, post_comment):
    """The form shown again after an expired token carries a new, valid token."""
    old = token_aged(article, settings.COMMENT_MAX_AGE_SECONDS + 1)
    html = page_html(post_comment(article, token=old))
    fresh = re.search(r'name="token" value="([^"]+)"', html).group(1)
    assert fresh != old
    signed = signing.Signer(salt=spam.TOKEN_SALT).unsign(fresh)
    assert signed.startswith(f"{article.pk}:{T0}:")  # signed now, for this article


def test_tampered_missing_or_foreign_token_refused(clock, article, other_article, post_comment):
    """A token that is altered, missing, or signed for another article is refused."""
    good = token_aged(article, 60)
    value, _, signature = good.rpartition(":")
    pk, when, nonce = value.split(":")
    for token in (
        f"{pk}:{int(when) - 3600}:{nonce}:{signature}",  # an older time, same signature
        "",
        "garbage",
        spam.sign_timestamp(other_article.pk, when=T0 - 60),
    ):
        response = post_comment(article, token=token)
        assert response.status_code == 400, token
    assert not Comment.objects.exists()


# Honeypot ------------------------------------------------------------------------------


def test_honeypot_filled_is_stored_as_spam_and_answered_alike(article, post_comment):
    """An empty honeypot passes; a filled one stores the comment as spam, never shown, with
    the same answer as a good comment so a script learns nothing."""
    assert post_comment(article, body="human").status_code == 303
    response = post_comment(article, body="bot", website="http://spam.example")
    assert response.status_code == 303
    assert response["Location"].endswith("?comment=received#comment-form")
    bot = Comment.objects.get(body="bot")
    assert bot.status == Status.SPAM
    assert bot.spam_reason == "honeypot field filled"
    assert Comment.objects.get(body="human").status == Status.PENDING


# Rate limit ----------------------------------------------------------------------------


def test_rate_limit_boundary(clock, article, post_comment):
    """Per client, COMMENT_RATE_LIMIT comments per window are accepted; the next is
    refused with 429, Retry-After and the text kept; a changed browser string does not
    get round it; another client (address) is unaffected."""
    limit, window = settings.COMMENT_RATE_LIMIT
    for n in range(limit):
        assert post_comment(article, body=f"comment number {n}").status_code == 303
    response = post_comment(article, body="one too many")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= window
    html = page_html(response)
    assert "Please wait a few minutes" in html
    assert ">\none too many</textarea>" in html
    assert post_comment(article, body="same reader", ua="Other browser").status_code == 429
    assert post_comment(article, body="another reader", ip="192.0.2.7").status_code == 303
    assert Comment.objects.count() == limit + 1


def test_rate_limit_window_resets(clock, monkeypatch, article, post_comment):
    """After the window the client may comment again."""
    limit, window = settings.COMMENT_RATE_LIMIT
    for n in range(limit + 1):
        post_comment(article, body=f"burst {n}")
    assert Comment.objects.count() == limit
    monkeypatch.setattr(spam, "now", lambda: T0 + window)
    assert (
        post_comment(article, body="later", token=token_aged(article, -window + 60)).status_code
        == 303
    )


def test_rate_limit_counts_in_the_shared_cache_by_client_hash(clock, rf, article, post_comment):
    """The counter lives in Django's cache (shared by every process: Redis or the file
    cache), keyed by the keyed client hash, never by an address."""
    from django.core.cache import cache

    from core.clients import client_hash

    post_comment(article, ua="Counting browser")
    post_comment(article, body="second", ua="Counting browser")
    request = rf.post("/", HTTP_USER_AGENT="Counting browser")
    _, window = settings.COMMENT_RATE_LIMIT
    key = f"comments:rate:comment:{client_hash(request)}:{T0 // window}"
    assert cache.get(key) == 2


# Links ---------------------------------------------------------------------------------


def test_max_links_boundary(article, post_comment):
    """COMMENT_MAX_LINKS links are accepted; one more is refused with the text kept."""
    n = settings.COMMENT_MAX_LINKS
    ok = " ".join(f"https://example.org/{i}" for i in range(n))
    assert post_comment(article, body=ok).status_code == 303
    too_many = ok + " www.example.net"
    response = post_comment(article, body=too_many)
    assert response.status_code == 400
    html = page_html(response)
    assert f"at most {n} are allowed" in html
    assert "www.example.net</textarea>" in html


def test_link_in_name_refused(article, post_comment):
    """A web address as a name is refused."""
    response = post_comment(article, name="https://pills.example")
    assert response.status_code == 400
    assert "not a web address" in page_html(response)


# Blocklist -----------------------------------------------------------------------------


def test_blocklist_words_match_whole_words_and_store_spam(article, post_comment):
    """A blocked word, in the body or the name, stores the comment as spam with the reason;
    the word inside a longer word does not."""
    BlockedTerm.objects.create(kind="word", value="Casino")
    post_comment(article, body="Best CASINO bonus!")
    post_comment(article, body="Fine text", name="casino king", ua="b2")
    post_comment(article, body="casinos? casinoroyale", ua="b3")
    assert Comment.objects.get(body="Best CASINO bonus!").spam_reason == "blocked word: Casino"
    assert Comment.objects.get(name="casino king").status == Status.SPAM
    assert Comment.objects.get(body="casinos? casinoroyale").status == Status.PENDING


def test_blocklist_domains_match_the_domain_and_its_subdomains(article, post_comment):
    """A blocked domain matches itself and its subdomains, with or without a scheme;
    a different domain that merely ends the same way does not."""
    BlockedTerm.objects.create(kind="domain", value="https://www.shop.example/")
    bodies = {
        "see https://www.shop.example/deal": Status.SPAM,
        "try eu.shop.example today": Status.SPAM,
        "and SHOP.EXAMPLE/x": Status.SPAM,
        "but notshop.example is fine": Status.PENDING,
    }
    for i, body in enumerate(bodies):
        post_comment(article, body=body, ua=f"client {i}")
    for body, status in bodies.items():
        assert Comment.objects.get(body=body).status == status, body


# Duplicates ----------------------------------------------------------------------------


def test_same_comment_twice_is_stored_once(article, other_article, post_comment):
    """The same text from the same client on the same article is stored once (case and
    spacing ignored), and the reader gets the same answer both times; another article or
    another client stores its own."""
    assert post_comment(article, body="Same words here").status_code == 303
    assert post_comment(article, body="same   WORDS here ").status_code == 303
    assert Comment.objects.filter(article=article).count() == 1
    post_comment(other_article, body="Same words here")
    post_comment(article, body="Same words here", ip="192.0.2.44")
    assert Comment.objects.count() == 3


def test_duplicate_does_not_use_up_the_rate_limit(clock, article, post_comment):
    """Resending the same comment (a double click, a reload) is not counted again."""
    limit, _ = settings.COMMENT_RATE_LIMIT
    for _ in range(limit + 3):
        assert post_comment(article, body="only once").status_code == 303
    assert post_comment(article, body="a second comment").status_code == 303
    assert Comment.objects.count() == 2


# What is stored -------------------------------------------------------------------------


def test_stores_keyed_client_hash_never_an_address(article, post_comment):
    """The comment keeps a keyed hash of the client, never the address or browser string."""
    post_comment(article, email="Sam@Example.org")
    comment = Comment.objects.get()
    assert len(comment.client_hash) == 64
    stored = " ".join(str(v) for v in Comment.objects.values().get().values())
    assert "127.0.0.1" not in stored and "Mozilla" not in stored
    assert comment.email == "Sam@Example.org"


def test_unicode_is_stored_and_shown_exactly(client, article, post_comment):
    """Emoji (with joiners and skin tones), right-to-left text and combining marks are
    stored exactly as typed and shown exactly, with direction isolated."""
    name = "زینب 👩🏽‍⚕️"
    body = "שלום עולם — مرحبا\n\nZalgo: e\u0301\u0327 a\u0308\u0323 👨‍👩‍👧 🏳️‍🌈 \u202eevil\u202c"
    assert post_comment(article, name=name, body=body).status_code == 303
    comment = Comment.objects.get()
    assert (comment.name, comment.body) == (name, body)
    comment.status = Status.APPROVED
    comment.save()
    html = page_html(client.get(article.get_absolute_url()))
    assert f'<bdi class="comment-name">{name}</bdi>' in html
    shown = "<p>שלום עולם — مرحبا</p><p>Zalgo: " + body.split("Zalgo: ")[1] + "</p>"
    assert shown in html
    assert 'class="comment-body" dir="auto"' in html


def test_script_and_markup_shown_as_text(client, article, post_comment):
    """Script and markup in the name and the body are shown as text, on the page and in a
    refused form shown again."""
    name = '<script>alert("n")</script>'
    body = '<img src=x onerror=alert(1)> <a href="javascript:alert(2)">x</a> "quoted" & more'
    assert post_comment(article, name=name, body=body).status_code == 303
    Comment.objects.update(status=Status.APPROVED)
    html = page_html(client.get(article.get_absolute_url()))
    section = html[html.index('id="comments"') :]
    assert "<script>" not in section and "<img" not in section
    assert "&lt;script&gt;alert(&quot;n&quot;)&lt;/script&gt;" in section
    assert "&lt;img src=x onerror=alert(1)&gt;" in section
    assert 'href="javascript' not in section

    refused = page_html(post_comment(article, name=name, body=body + "x" * MAX_LENGTH))
    form = refused[refused.index('class="comment-form"') :]
    assert "<script>" not in form and "<img" not in form
    assert 'value="&lt;script&gt;alert(&quot;n&quot;)&lt;/script&gt;"' in form


def test_null_character_refused(article, post_comment):
    """A NUL character (which PostgreSQL cannot store) is refused as invalid input."""
    assert post_comment(article, body="a\x00b").status_code == 400


def test_database_stores_the_same_comment_once(article):
    """The database itself refuses a second row with the same article, client and text
    fingerprint (the race the view's check cannot see); erased rows (no fingerprint) may
    repeat."""
    from django.db import IntegrityError, transaction

    Comment.objects.create(article=article, name="a", body="x", client_hash="c", body_hash="b")
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(article=article, name="a", body="x", client_hash="c", body_hash="b")
    for _ in range(2):
        Comment.objects.create(article=article, name="", body="", client_hash="", body_hash="")
