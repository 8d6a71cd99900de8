"""Help at once: a commenter whose words raise the self-harm flag sees the crisis lines
on the very next page, above the thank-you; nobody else sees anything, no cookie is
set, no URL carries the flag, and moderators are emailed at once as before."""

import pytest

from comments.models import Comment, Status

from .conftest import approved

pytestmark = pytest.mark.django_db

AT_RISK = "I sometimes think everyone would be better off without me."
EVERYDAY = "This article was a lifesaver, I'm dying to know what the next trial finds."


def crisis_links(html):
    return [part.split('"')[0] for part in html.split('href="tel:')[1:]]


def test_at_risk_commenter_sees_crisis_lines_above_the_thank_you(
    client, article, post_comment, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    """The answer to the post is the help page itself (no redirect): "Help is available
    now", the crisis box with tel: links, then the thank-you; private, never stored, no
    cookie. The comment waits, flagged, and moderators get the "Needs care" email."""
    with django_capture_on_commit_callbacks(execute=True):
        response = post_comment(article, body=AT_RISK)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert not response.cookies and "Set-Cookie" not in response.headers
    html = response.content.decode()
    assert "<h1>Help is available now</h1>" in html
    assert crisis_links(html), "the crisis lines are tel: links"
    assert html.index('href="tel:') < html.index("Thank you — your comment will appear")
    assert html.count('class="crisis"') == 1
    comment = Comment.objects.get()
    assert comment.status == Status.PENDING and "self-harm" in comment.risk_flags
    [email] = mailoutbox
    assert email.subject.startswith("Needs care:")


def test_everyday_commenter_gets_the_usual_thank_you(client, article, post_comment):
    """An everyday comment (idioms included) is redirected to the article's form with the
    thank-you, and that page has no help-now block."""
    response = post_comment(article, body=EVERYDAY)
    assert response.status_code == 303
    assert response["Location"] == article.get_absolute_url() + "?comment=received#comment-form"
    page = client.get(response["Location"]).content.decode()
    assert "Thank you — your comment will appear" in page
    assert "Help is available now" not in page


def test_nothing_public_changes(client, article, post_comment):
    """After an at-risk comment the article page every reader gets is unchanged: no
    help-now block, no word of the comment, the same shared URL for the thank-you."""
    approved(article, body="An earlier approved comment")
    before = client.get(article.get_absolute_url()).content.decode()
    post_comment(article, body=AT_RISK)
    after = client.get(article.get_absolute_url()).content.decode()
    assert "Help is available now" not in after and AT_RISK not in after
    assert before.count('class="comment"') == after.count('class="comment"')


def test_sending_again_shows_the_help_again(client, article, post_comment):
    """A reload or double submit of the same text (stored once) still shows the help."""
    post_comment(article, body=AT_RISK)
    again = post_comment(article, body=AT_RISK)
    assert again.status_code == 200 and "Help is available now" in again.content.decode()
    assert Comment.objects.count() == 1


def test_help_shown_even_when_the_blocklist_marks_spam(client, article, post_comment):
    """A person at risk who happens to use a blocked word still sees the help: the answer
    is the same as for any at-risk comment, so it tells a script nothing about spam."""
    from comments.models import BlockedTerm

    BlockedTerm.objects.create(kind="word", value="casino")
    response = post_comment(article, body="Lost everything at the casino. " + AT_RISK)
    assert "Help is available now" in response.content.decode()
    assert Comment.objects.get().status == Status.SPAM
