"""Comments on the article page: approved only, oldest first, 20 a page, editorial
replies marked, and a fixed number of queries however many comments there are."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from comments import moderation
from comments.models import Comment, Status
from comments.section import comment_context

from .conftest import approved

pytestmark = pytest.mark.django_db

PER_PAGE = settings.COMMENTS_PER_PAGE


def make_comments(article, count, moderator=None, replies_every=0):
    start = timezone.now() - timedelta(days=1)
    comments = Comment.objects.bulk_create(
        Comment(
            article=article,
            name=f"Reader {i}",
            body=f"Comment number {i}",
            status=Status.APPROVED,
            created=start + timedelta(minutes=i),
        )
        for i in range(count)
    )
    if replies_every:
        for comment in comments[::replies_every]:
            moderation.reply(comment, f"Editorial reply to {comment.body}", moderator)
    return comments


@pytest.mark.parametrize("count", [3, 60])
def test_comment_context_runs_two_queries_whatever_the_number(
    rf, article, moderator, count, django_assert_max_num_queries
):
    """comment_context prevents an n+1: the page's comments (plus one row to know whether
    a next page exists) and their editorial replies, two queries for 3 or 60 comments."""
    make_comments(article, count, moderator, replies_every=2)
    request = rf.get(article.get_absolute_url(), {"page": "2" if count > PER_PAGE else "1"})
    with django_assert_max_num_queries(2):
        context = comment_context(request, article)
        replies = [r.body_html for c in context["comments"] for r in c.editorial_replies]
    assert len(context["comments"]) == min(count, PER_PAGE)
    assert replies


def test_comment_context_without_comments_runs_one_query(rf, article, django_assert_num_queries):
    """With no comments on the page, the replies query is skipped."""
    with django_assert_num_queries(1):
        comment_context(rf.get("/"), article)


def test_comment_context_does_not_touch_user_or_session(rf, article):
    """comment_context never reads request.user or the session (they would set cookies)."""

    class Forbidden:
        def __getattr__(self, name):
            raise AssertionError("request.user or session accessed")

    request = rf.get("/")
    request.user = Forbidden()
    request.session = Forbidden()
    comment_context(request, article)


def test_article_page_query_budget(client, article, moderator, django_assert_max_num_queries):
    """The whole anonymous article page, cold, stays within six queries with comments: the
    article, its authors, its sections, its outcomes ("How sure are we?"), the page of
    comments (with their count) and their editorial replies."""
    make_comments(article, 30, moderator, replies_every=3)
    with django_assert_max_num_queries(6):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_only_approved_comments_shown_newest_first_with_a_count(client, article):
    """Pending, rejected and spam comments never show; approved ones show newest first,
    under a count of how many there are."""
    now = timezone.now()
    for status in (Status.PENDING, Status.REJECTED, Status.SPAM):
        Comment.objects.create(
            article=article, name="x", body=f"not shown: {status}", status=status
        )
    approved(article, body="newer one", created=now)
    approved(article, body="older one", created=now - timedelta(hours=1))
    html = client.get(article.get_absolute_url()).content.decode()
    assert "not shown" not in html
    assert html.index("newer one") < html.index("older one")
    assert "2 comments, newest first." in html


def test_pagination_twenty_a_page_newest_first(client, article):
    """20 comments a page, newest first: page 1 holds the newest and links to older
    comments, page 2 back to newer ones; the count says which page of how many; a page
    past the end says so and links to the newest."""
    make_comments(article, PER_PAGE + 5)
    url = article.get_absolute_url()
    newest = PER_PAGE + 4
    first = client.get(url).content.decode()
    assert first.count('class="comment"') == PER_PAGE
    assert f"Comment number {newest}<" in first and "Comment number 0<" not in first
    assert f"{PER_PAGE + 5} comments, newest first · page 1 of 2." in first
    assert f'href="{url}?page=2#comments">Older comments' in first
    assert "Newer comments" not in first

    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('class="comment"') == 5
    assert "Comment number 0<" in second
    assert f'href="{url}#comments">Newer comments' in second
    assert "Older comments" not in second

    beyond = client.get(url, {"page": 9}).content.decode()
    assert "There are no comments on this page" in beyond
    for junk in ("abc", "-1", "0"):
        assert f"Comment number {newest}<" in client.get(url, {"page": junk}).content.decode()


def test_editorial_replies_marked_and_shown_under_their_comment(client, article, moderator):
    """Replies from the editorial team appear under the comment, marked as such; a reply
    to a comment not approved is not shown."""
    parent = approved(article, body="A question about the studies")
    moderation.reply(parent, "Thanks, see the studies section.", moderator)
    hidden = Comment.objects.create(article=article, name="p", body="pending one")
    moderation.reply(hidden, "Reply to a pending comment", moderator)
    html = client.get(article.get_absolute_url()).content.decode()
    reply_at = html.index("Thanks, see the studies section.")
    assert html.index("A question about the studies") < reply_at
    assert "Reply from the editorial team" in html[html.rindex("<li ", 0, reply_at) : reply_at]
    assert "Reply to a pending comment" not in html
    assert html.count("Reply from the editorial team") == 1


def test_each_comment_has_a_report_link_replies_do_not(client, article, moderator):
    """Every reader comment carries a quiet Report link naming whose comment it reports."""
    comment = approved(article, name="Kim")
    moderation.reply(comment, "Reply", moderator)
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count('class="comment-report-link"') == 1
    assert f'href="/comments/{comment.pk}/report/"' in html
    assert 'Report<span class="visually-hidden"> the comment by <bdi>Kim</bdi>' in html


def test_links_in_comments_are_nofollow_ugc(client, article):
    """A link in an approved comment carries rel="nofollow ugc noopener"."""
    approved(article, body="Source: https://pubmed.ncbi.nlm.nih.gov/1/")
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/1/" rel="nofollow ugc noopener">' in html


def test_form_is_accessible_without_csrf_token(client, article):
    """The form has labelled fields with autocomplete, a visible limit, the guidelines with
    a link to the crisis box, a hidden honeypot, and no CSRF token."""
    html = client.get(article.get_absolute_url()).content.decode()
    for field in ("comment-name", "comment-email", "comment-body"):
        assert f'<label for="{field}">' in html
    assert 'autocomplete="nickname"' in html and 'autocomplete="email"' in html
    assert f"up to {settings.COMMENT_MAX_LENGTH:,} characters" in html
    assert '<a href="#crisis">' in html
    assert '<div class="honeypot" aria-hidden="true">' in html
    assert 'tabindex="-1"' in html
    assert "csrfmiddlewaretoken" not in html
    assert "style=" not in html[html.index('id="comments"') :]


def test_page_is_cached_and_refreshed_after_a_decision(
    client, article, moderator, django_capture_on_commit_callbacks
):
    """The anonymous page is served from the page cache; a moderation decision retires
    it once committed."""
    comment = Comment.objects.create(article=article, name="Lee", body="Waiting for approval")
    url = article.get_absolute_url()
    assert "Waiting for approval" not in client.get(url).content.decode()
    Comment.objects.filter(pk=comment.pk).update(status=Status.APPROVED)  # no decision
    assert "Waiting for approval" not in client.get(url).content.decode()  # cached page
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        moderation.approve([comment], moderator)
    assert len(callbacks) == 1
    assert "Waiting for approval" in client.get(url).content.decode()


def test_newly_approved_comment_is_on_the_page_readers_land_on(
    client, article, moderator, django_capture_on_commit_callbacks
):
    """With many comments already there, a comment approved now shows on the page a
    reader lands on (the cached copy retired), at the top of the comments."""
    make_comments(article, PER_PAGE * 5)
    client.get(article.get_absolute_url())  # cached
    late = Comment.objects.create(article=article, name="Late", body="Just approved")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve([late], moderator)
    html = client.get(article.get_absolute_url()).content.decode()
    comments = html[html.index('id="comments"') :]
    assert comments.index("Just approved") < comments.index(f"Comment number {PER_PAGE * 5 - 1}<")


def test_view_on_site_lands_on_the_comment(mod_client_for_display, article, moderator):
    """The admin's "View on site" for a comment, a reply and an older comment leads to the
    page and the anchor where a reader sees it."""
    comments = make_comments(article, PER_PAGE + 3)
    oldest, newest = comments[0], comments[-1]
    reply = moderation.reply(newest, "An answer", moderator)
    url = article.get_absolute_url()
    assert newest.get_absolute_url() == f"{url}#comment-{newest.pk}"
    assert oldest.get_absolute_url() == f"{url}?page=2#comment-{oldest.pk}"
    assert reply.get_absolute_url() == f"{url}#comment-{reply.pk}"
    pending = Comment.objects.create(article=article, name="p", body="waiting")
    assert pending.get_absolute_url() == f"{url}#comments"
    from django.urls import reverse

    change = mod_client_for_display.get(
        reverse("admin:comments_comment_change", args=[oldest.pk])
    ).content.decode()
    assert "View on site" in change
    on_site = mod_client_for_display.get(
        reverse("admin:view_on_site", args=[_comment_type_id(), oldest.pk])
    )
    assert on_site.status_code == 302
    assert on_site["Location"].endswith(f"{url}?page=2#comment-{oldest.pk}")
    page = mod_client_for_display.get(f"{url}?page=2").content.decode()
    assert f'id="comment-{oldest.pk}"' in page


def _comment_type_id():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Comment).pk


@pytest.fixture
def mod_client_for_display(client, moderator):
    client.force_login(moderator)
    return client
