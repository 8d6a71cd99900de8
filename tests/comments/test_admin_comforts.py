"""What makes moderation safe to do quickly: replies shown where a second moderator
looks, a private reply by email, why a comment is spam, confirmation before comments
leave the page or are erased, list columns that keep status and care in view, and a
blocklist form that explains how it matches."""

import logging
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from comments import moderation
from comments.models import Comment, Report, ReportReason, Status

from .conftest import approved
from .test_admin import CHANGELIST, change_url, changelist, run_action

pytestmark = pytest.mark.django_db

ADDRESS = "sam.private@example.org"


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client


def email_url(comment):
    return reverse("admin:comments_comment_email", args=[comment.pk])


def test_editorial_reply_shown_on_the_comment_and_in_the_list(mod_client, moderator, article):
    """A saved editorial reply shows on the page of the comment it answers (its text,
    who wrote it, a link to it) and as "✓ 1 reply" in the list, so a second moderator
    does not write another."""
    comment = approved(article, body="Is there help for this?")
    other = approved(article, body="Nobody answered this one.")
    reply = moderation.reply(comment, "We hear you. The crisis box has numbers.", moderator)
    html = mod_client.get(change_url(comment)).content.decode()
    assert "Replies from the editorial team" in html
    assert "We hear you. The crisis box has numbers." in html
    assert change_url(reply) in html and "by mod" in html
    assert "None yet." in mod_client.get(change_url(other)).content.decode()
    listing = mod_client.get(changelist(is_editorial__exact=0)).content.decode()
    assert listing.count("✓ 1 reply") == 1


def test_list_query_count_does_not_grow_with_replies(
    mod_client, moderator, article, django_assert_max_num_queries
):
    """The reply column is one annotated count, not a query per row (prevents an n+1)."""
    for i in range(5):
        moderation.reply(approved(article, body=f"comment {i}"), f"reply {i}", moderator)
    mod_client.get(reverse(CHANGELIST))  # warm the session and permissions
    with django_assert_max_num_queries(12):
        assert mod_client.get(reverse(CHANGELIST)).status_code == 200


def test_reply_by_email_sends_records_and_never_shows_the_address(
    mod_client, article, mailoutbox, caplog
):
    """ "Reply by email" on the comment's page opens a form that does not show the
    address; sending it mails the commenter through Django's email settings, records the
    reply (moderator and subject) in the comment's history, and puts the address in no
    log line and no history entry."""
    comment = approved(article, name="Sam", body="Does it get better?", email=ADDRESS)
    page = mod_client.get(change_url(comment)).content.decode()
    assert f'href="{email_url(comment)}"' in page and "Reply by email" in page
    form = mod_client.get(email_url(comment)).content.decode()
    assert ADDRESS not in form
    assert "Sam" in form and "Does it get better?" in form
    with caplog.at_level(logging.DEBUG):
        response = mod_client.post(
            email_url(comment),
            {"subject": "About your comment", "message": "It often does. Here is how."},
        )
    assert response.status_code == 302 and response["Location"] == change_url(comment)
    [email] = mailoutbox
    assert email.to == [ADDRESS]
    assert email.subject == "About your comment"
    assert email.body.startswith("It often does. Here is how.")
    assert "The editorial team" in email.body
    entry = LogEntry.objects.get(object_id=str(comment.pk))
    assert entry.user.username == "mod"
    assert entry.get_change_message() == "Replied by email: “About your comment”"
    assert ADDRESS not in caplog.text
    history = mod_client.get(change_url(comment).replace("change/", "history/"))
    assert "Replied by email" in history.content.decode()
    assert ADDRESS not in history.content.decode()


def test_no_email_reply_without_an_address_or_permission(client, mod_client, article, make_user):
    """No link and a 404 for a comment left without an address; an editor gets 403."""
    comment = approved(article, email="")
    assert "Reply by email" not in mod_client.get(change_url(comment)).content.decode()
    assert mod_client.get(email_url(comment)).status_code == 404
    with_address = approved(article, email=ADDRESS)
    client.force_login(make_user("ed", groups=["Editors"]))
    assert client.get(email_url(with_address)).status_code == 403


def test_spam_list_says_why(mod_client, article, post_comment):
    """The list has a "why spam" column with the reason each comment was caught."""
    post_comment(article, body="Real text, but the trap was filled", website="x")
    listing = mod_client.get(changelist(status__exact="spam")).content.decode()
    assert "Why spam" in listing
    assert "honeypot field filled" in listing


def test_erase_action_lists_the_comments_before_erasing(mod_client, article):
    """Erasing selected comments first lists them (name, article, text) and erases
    nothing until confirmed."""
    comments = [approved(article, name=f"Writer {i}", body=f"Text number {i}") for i in (1, 2)]
    asked = run_action(mod_client, "erase_selected", comments, confirmed=False)
    html = asked.content.decode()
    assert asked.status_code == 200 and "This cannot be undone." in html
    assert "Writer 1" in html and "Text number 2" in html and article.title in html
    assert not Comment.objects.filter(erased_at__isnull=False).exists()
    run_action(mod_client, "erase_selected", comments)
    assert Comment.objects.filter(erased_at__isnull=False).count() == 2


def test_erase_by_email_lists_the_comments_it_will_erase(mod_client, article):
    """The erase-by-email confirmation names each comment, not only a count."""
    approved(article, name="Jo", body="My first comment", email="jo@example.org")
    approved(article, name="Jo", body="My second comment", email="jo@example.org")
    response = mod_client.post(reverse("admin:comments_comment_erase"), {"email": "jo@example.org"})
    html = response.content.decode()
    assert "2 comments" in html
    assert "My first comment" in html and "My second comment" in html
    assert not Comment.objects.filter(erased_at__isnull=False).exists()


def test_list_columns_are_cut_short_and_status_comes_first(mod_client, article):
    """Long names and article titles are cut (the full text in the title); status and
    "needs care" come right after the comment so they stay on screen."""
    approved(article, name="N" * 80, body="Some text")
    html = mod_client.get(reverse(CHANGELIST)).content.decode()
    assert f'<span class="cut" title="{"N" * 80}">' in html
    assert "/static/comments/admin-comments." in html
    order = re.findall(r'<th scope="col" class="[^"]*column-(\w+)', html)
    assert order[:4] == ["excerpt", "status", "needs_care", "display_name"], order


def test_reports_and_their_reasons_on_the_comment_page(mod_client, article):
    """The comment's page says how many readers reported it and why."""
    comment = approved(article)
    Report.objects.create(comment=comment, client_hash="a", reason=ReportReason.UNKIND)
    Report.objects.create(comment=comment, client_hash="b", reason=ReportReason.UNKIND)
    Report.objects.create(comment=comment, client_hash="c")
    html = mod_client.get(change_url(comment)).content.decode()
    assert "2 × It is unkind, abusive or hateful" in html
    assert "1 × No reason given" in html


def test_blocklist_form_explains_matching(mod_client):
    """The blocklist form says how words and domains match and what happens."""
    html = mod_client.get(reverse("admin:comments_blockedterm_add")).content.decode()
    assert "match whole words, whatever the capitals" in html
    assert "blocks itself and every subdomain" in html
    assert "stored as spam" in html


def test_reject_confirmation_warns_replies_leave_too(mod_client, moderator, article):
    """Rejecting asks first, saying the editorial replies leave with the comments."""
    comment = approved(article, body="A comment with a reply")
    moderation.reply(comment, "An answer", moderator)
    html = run_action(mod_client, "reject", [comment], confirmed=False).content.decode()
    assert "Reject these comments?" in html and "editorial replies" in html
    assert Comment.objects.get(pk=comment.pk).status == Status.APPROVED


def test_confirmed_action_still_refused_when_a_colleague_decided_meanwhile(
    mod_client, make_user, article
):
    """The confirmation page carries the version each row showed: if another moderator
    approved a comment while this one was confirming "reject", nothing is rejected."""
    comment = Comment.objects.create(article=article, name="Reader", body="Pending text")
    data = {
        "action": "reject",
        "_selected_action": [comment.pk],
        "index": 0,
        f"version-{comment.pk}": comment.version,
    }
    asked = mod_client.post(reverse(CHANGELIST), data).content.decode()
    assert f'name="version-{comment.pk}" value="{comment.version}"' in asked
    moderation.approve([comment], make_user("colleague", groups=["Moderators"]))
    mod_client.post(reverse(CHANGELIST), {**data, "confirmed": "yes"}, follow=True)
    assert Comment.objects.get(pk=comment.pk).status == Status.APPROVED
