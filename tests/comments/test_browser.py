"""Reader and moderator journeys in Chromium: post, moderate in the admin, reload.

The "too fast" rule is set to 0 seconds here: a script fills the form faster than any
reader (the rule itself is tested at its boundary in test_posting.py).
"""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment, Status
from tests.browser.a11y import WCAG_TAGS, axe_violations, summarize

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "moderating-is-careful-work"
NOTICE = "Thank you — your comment will appear once a moderator has approved it"


@pytest.fixture
def journey(settings, article, make_user):
    settings.COMMENT_MIN_SECONDS = 0
    # pytest-django's live server answers /static/ through the staticfiles finders, which
    # know no hashed names: with the manifest storage every stylesheet and script 404s
    # (the admin's JavaScript included). Unhashed names let the finders serve them.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    make_user("mod", groups=["Moderators"], password=PASSWORD)
    return article


def post_as_reader(page, live_server, article, body):
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_label("Name").fill("Robin")
    page.get_by_label("Comment", exact=True).fill(body)
    page.get_by_role("button", name="Send for moderation").click()
    expect(page).to_have_url(re.compile(r"\?comment=received#comment-form$"))
    expect(page.locator("#comment-form").get_by_role("status")).to_contain_text(NOTICE)
    expect(page.locator("#comments")).not_to_contain_text(body)


def moderate(browser, live_server, comment, action_label):
    context = browser.new_context()
    admin = context.new_page()
    admin.set_default_timeout(10_000)
    admin.goto(live_server.url + "/admin/login/?next=/admin/")
    admin.get_by_label("Username").fill("mod")
    admin.get_by_label("Password").fill(PASSWORD)
    admin.get_by_role("button", name="Log in").click()
    expect(admin.locator("#moderation-queue")).to_contain_text("1 comment waiting")
    admin.locator("#moderation-queue a").first.click()
    admin.locator(f'input[name="_selected_action"][value="{comment.pk}"]').check()
    admin.select_option('select[name="action"]', label=action_label)
    admin.get_by_role("button", name="Go", exact=True).click()
    if action_label != "Approve: show on the site":  # reject and spam ask first
        expect(admin.locator(".comment-confirm-list")).to_contain_text(comment.body[:30])
        admin.get_by_role("button", name=re.compile(r"^Yes, ")).click()
    expect(admin.locator(".messagelist")).to_contain_text("1 comment")
    context.close()


@pytest.mark.parametrize(
    ("action_label", "status", "shown"),
    [
        ("Approve: show on the site", Status.APPROVED, True),
        ("Reject", Status.REJECTED, False),
        ("Mark as spam", Status.SPAM, False),
    ],
)
def test_reader_posts_moderator_decides_reader_reloads(
    page, browser, live_server, journey, action_label, status, shown
):
    """A reader posts and sees the notice but not the comment; a moderator logs into the
    admin and decides; on reload the reader sees the comment only if it was approved.
    The reader never receives a cookie."""
    body = f"My comment for the {status} path.\n\nIt has two paragraphs."
    post_as_reader(page, live_server, journey, body)
    comment = Comment.objects.get()
    assert comment.status == Status.PENDING

    moderate(browser, live_server, comment, action_label)
    comment.refresh_from_db()
    assert comment.status == status

    page.reload()
    comments = page.locator("#comments")
    if shown:
        expect(comments.locator(f"#comment-{comment.pk} .comment-body p")).to_have_count(2)
        expect(comments).to_contain_text(f"My comment for the {status} path.")
        expect(comments.locator(f"#comment-{comment.pk} .comment-name")).to_have_text("Robin")
    else:
        expect(comments).not_to_contain_text(f"My comment for the {status} path.")
    assert page.context.cookies() == []


def test_refused_comment_keeps_text_and_is_accessible(page, live_server, journey):
    """An over-long comment comes back with the reader's whole text, the reason announced
    in an alert and tied to the field, on a short page of its own with a way back to the
    article; that page passes axe (WCAG 2.2 AA)."""
    from django.conf import settings

    Comment.objects.create(
        article=journey, name="Ada", body="An approved comment", status=Status.APPROVED
    )
    text = "Too long. " + "x" * settings.COMMENT_MAX_LENGTH
    page.goto(live_server.url + journey.get_absolute_url())
    page.get_by_label("Name").fill("Robin")
    page.get_by_label("Comment", exact=True).fill(text)
    page.get_by_role("button", name="Send for moderation").click()
    expect(page.get_by_role("alert")).to_contain_text("the limit is")
    body = page.get_by_label("Comment", exact=True)
    expect(body).to_have_value(text)
    expect(body).to_have_attribute("aria-invalid", "true")
    assert "comment-body-error" in body.get_attribute("aria-describedby")
    expect(page.get_by_label("Name")).to_have_value("Robin")
    assert not Comment.objects.filter(name="Robin").exists()
    back = page.get_by_role("link", name="Back to the article")
    assert back.get_attribute("href") == journey.get_absolute_url() + "#comments"

    violations = axe_violations(page, tags=[*WCAG_TAGS, "best-practice"])
    assert violations == [], summarize(violations)


def test_moderator_approves_and_replies_with_a_safe_messaging_template(
    page, browser, live_server, journey
):
    """A flagged comment is first in the queue with its reason; the moderator opens it,
    picks the self-harm template (which fills the reply), approves and saves; the reader
    sees the comment with the editorial team's reply under it."""
    from comments.reply_templates import BY_KEY

    Comment.objects.create(article=journey, name="Early", body="A plain comment.")
    page.goto(live_server.url + journey.get_absolute_url())
    page.get_by_label("Name").fill("Robin")
    page.get_by_label("Comment", exact=True).fill("Lately I have been feeling suicidal.")
    page.get_by_role("button", name="Send for moderation").click()
    # Help at once, for this reader only: the crisis lines before the thank-you.
    expect(page.get_by_role("heading", level=1)).to_have_text("Help is available now")
    expect(page.locator('a[href^="tel:"]').first).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("your comment will appear")
    flagged = Comment.objects.get(name="Robin")

    context = browser.new_context()
    admin = context.new_page()
    admin.set_default_timeout(10_000)
    admin.goto(live_server.url + "/admin/login/?next=/admin/")
    admin.get_by_label("Username").fill("mod")
    admin.get_by_label("Password").fill(PASSWORD)
    admin.get_by_role("button", name="Log in").click()
    admin.locator("#moderation-queue a").first.click()
    first_row = admin.locator("#result_list tbody tr").first
    expect(first_row).to_contain_text("Mentions self-harm or suicide")
    first_row.locator("th a").click()
    admin.get_by_label("Status").select_option("approved")
    admin.get_by_label("Start from a reply template").select_option("self-harm")
    reply = admin.get_by_label("Reply as the editorial team")
    expect(reply).to_have_value(BY_KEY["self-harm"].text)
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.locator(".messagelist")).to_be_visible()
    context.close()

    # Later, as any reader (a fresh context: the first one holds the page for a minute).
    page = browser.new_page()
    page.goto(live_server.url + journey.get_absolute_url())
    item = page.locator(f"#comment-{flagged.pk}")
    expect(item).to_contain_text("Lately I have been feeling suicidal.")
    expect(item.locator(".comment-editorial")).to_contain_text("Reply from the editorial team")
    expect(item.locator(".comment-editorial")).to_contain_text("crisis box")
