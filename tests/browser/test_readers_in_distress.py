"""Journeys for readers who may be struggling, and for the moderators who look after
them, in Chromium on a 375 px phone and a 1280 px desktop: help at once after a worrying
comment, the newest comments first, a quiet report, forms that fail gently, and the
reading aids on a long page. Each journey fails on any console error, CSP violation or
cookie."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from comments.models import Comment, Report, Status

from .a11y import (
    ARTICLE_URL,
    CITATION_PATH,
    DESKTOP,
    PHONE,
    axe_violations,
    load_reader_site,
    summarize,
    watch_console,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEVICES = {"phone": PHONE, "desktop": DESKTOP}
AT_RISK = "Honestly my family would be better off without me."
EVERYDAY = "This was a lifesaver, I'm dying to know what the next trial finds."


@pytest.fixture
def reader_site(settings, imported):
    return load_reader_site(settings, imported)


def open_page(browser, device, allow=()):
    context = browser.new_context(**DEVICES[device])
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page, watch_console(page, allow=allow)


def send_comment(page, live_server, body):
    page.goto(live_server.url + ARTICLE_URL + "#comment-form")
    page.get_by_label("Name").fill("Robin")
    page.get_by_label("Comment", exact=True).fill(body)
    page.get_by_role("button", name="Send for moderation").click()


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_help_at_once_for_a_worrying_comment_only(browser, live_server, reader_site, device):
    """A commenter whose words are a warning sign sees, on the very next page, that help
    is available now, with the crisis lines as phone links above the thank-you; an
    everyday commenter sees only the thank-you. No cookie either way; the help page
    passes axe."""
    context, page, problems = open_page(browser, device)
    send_comment(page, live_server, AT_RISK)
    expect(page.get_by_role("heading", level=1)).to_have_text("Help is available now")
    call = page.locator('.crisis a[href^="tel:"]').first
    expect(call).to_be_in_viewport()
    thanks = page.get_by_role("status")
    expect(thanks).to_contain_text("your comment will appear")
    assert call.bounding_box()["y"] < thanks.bounding_box()["y"]
    expect(page.get_by_role("complementary", name="If you feel unsafe or in crisis")).to_have_count(
        1
    )
    violations = axe_violations(page)
    assert violations == [], summarize(violations)

    # Another reader: in the test both come from one address, and a cached page's form
    # token is spent once per address, so the page is rendered afresh for them.
    from core.cache import bump_content_version

    bump_content_version()
    context.close()
    context, everyday, problems = open_page(browser, device)
    send_comment(everyday, live_server, EVERYDAY)
    expect(everyday).to_have_url(re.compile(r"\?comment=received#comment-form$"))
    expect(everyday.locator("#comment-form").get_by_role("status")).to_contain_text(
        "your comment will appear"
    )
    expect(everyday.get_by_text("Help is available now")).to_have_count(0)
    assert context.cookies() == []
    assert problems == []
    context.close()


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_newest_comment_first_and_a_quiet_report(browser, live_server, reader_site, device):
    """The newest comment is first under a count; "Report" is a small link to a short form
    with an optional reason; sending it thanks the reader and records the reason."""
    article = reader_site
    for i in range(25):
        Comment.objects.create(
            article=article, name=f"Reader {i}", body=f"Older comment {i}", status=Status.APPROVED
        )
    newest = Comment.objects.create(
        article=article, name="Sam", body="The newest comment of all", status=Status.APPROVED
    )
    context, page, problems = open_page(browser, device)
    page.goto(live_server.url + ARTICLE_URL + "#comments")
    comments = page.locator("#comments")
    expect(comments.locator(".comment-count")).to_contain_text("26 comments, newest first")
    expect(comments.locator("li.comment").first).to_contain_text("The newest comment of all")

    report = comments.locator(f"#comment-{newest.pk}").get_by_role(
        "link", name=re.compile(r"^Report")
    )
    assert report.evaluate("e => getComputedStyle(e).fontSize") != comments.locator(
        "button.button"
    ).first.evaluate("e => getComputedStyle(e).fontSize")
    report.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a comment")
    expect(page.locator(".reported-comment")).to_contain_text("The newest comment of all")
    violations = axe_violations(page)
    assert violations == [], summarize(violations)
    page.get_by_label("It is unkind, abusive or hateful").check()
    page.get_by_role("button", name="Send the report").click()
    expect(page.locator("#comments").get_by_role("status")).to_contain_text(
        "Thank you for your report"
    )
    assert Report.objects.get().reason == "unkind"
    assert context.cookies() == [] and problems == []
    context.close()


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_forms_fail_gently(browser, live_server, reader_site, device):
    """Sending "Did this article help you?" without an answer shows the error where the
    reader is, on a short page, beside the form; opening a form's address again leads
    back to the form, not a blank page."""
    # The refused answer is a 400, which Chromium logs; nothing else may be.
    context, page, problems = open_page(browser, device, allow=("status of 400",))
    page.goto(live_server.url + ARTICLE_URL + "#feedback")
    page.locator("#feedback").get_by_label(re.compile("What could be better")).fill("More on risks")
    page.locator("#feedback").get_by_role("button", name="Send").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Choose yes or no.")
    expect(alert).to_be_in_viewport()
    assert alert.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"
    expect(page.locator("#id_feedback_reason")).to_have_value("More on risks")
    violations = axe_violations(page)
    assert violations == [], summarize(violations)

    # A refused comment: its own short page, the reasons first and marked as an error.
    send_comment(page, live_server, "Too long. " + "x" * settings.COMMENT_MAX_LENGTH)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("the limit is")
    expect(alert).to_be_in_viewport()
    assert alert.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"
    expect(page.get_by_label("Comment", exact=True)).to_have_value(re.compile("^Too long"))

    for address, anchor in (("feedback/", "#feedback"), ("", "#comment-form")):
        path = ARTICLE_URL + address if address else f"/comments/post/{reader_site.slug}/"
        response = page.goto(live_server.url + path)
        assert response.status == 200
        expect(page).to_have_url(re.compile(f"{ARTICLE_URL}{anchor}$"))
    assert context.cookies() == [] and problems == []
    context.close()


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_reading_aids(browser, live_server, reader_site, device):
    """A followed claim number marks its reference; the way back marks the claim with its
    sentence in view; each section offers "Back to contents"; a source page starts with
    a way back and its heading fits the screen; the updates page is a page, not XML."""
    context, page, problems = open_page(browser, device)
    page.goto(live_server.url + ARTICLE_URL)
    marker = page.locator("#overview a.cite-link").first
    ref_href, marker_id = marker.get_attribute("href"), marker.get_attribute("id")
    marker.click()
    reference = page.locator(ref_href)
    expect(reference).to_be_in_viewport()
    assert reference.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    reference.locator("summary").click()  # "Cited in N places": the back-links
    reference.locator(f'a[href="#{marker_id}"]').click()
    back = page.locator(f"#{marker_id}")
    expect(back).to_be_in_viewport()
    height = DEVICES[device]["viewport"]["height"]
    assert back.bounding_box()["y"] > height * 0.2, "room above for the claim's sentence"

    section = page.locator("#mechanism")
    section.get_by_role("link", name="Back to contents").click()
    expect(page.locator("#contents")).to_be_in_viewport()

    page.goto(live_server.url + CITATION_PATH)
    first_link = page.locator("main a").first
    expect(first_link).to_contain_text("Back to the article")
    heading = page.get_by_role("heading", level=1)
    assert heading.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert heading.evaluate("e => getComputedStyle(e).overflowWrap") == "normal"

    page.goto(live_server.url + "/")
    page.locator("footer").get_by_role("link", name="Updates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Updates")
    expect(page.locator("main")).to_contain_text(reader_site.title)
    violations = axe_violations(page)
    assert violations == [], summarize(violations)
    assert context.cookies() == [] and problems == []
    context.close()


def test_moderators_list_keeps_status_and_care_in_view_at_1920(
    browser, live_server, reader_site, make_user
):
    """With a long name, a long article title and a long text, the moderation list at
    1920 px still shows each row's status and "needs care" without scrolling sideways;
    "Reject" lists the comment and asks before acting."""
    make_user("mod", groups=["Moderators"], password="moderating-is-careful-work")
    comment = Comment.objects.create(
        article=reader_site,
        name="A very long display name " * 3,
        body="I feel like such a burden to everyone around me. " * 6,
        risk_flags=["self-harm"],
        risk=4,
    )
    context = browser.new_context(viewport={"width": 1920, "height": 1000})
    admin = context.new_page()
    admin.set_default_timeout(10_000)
    admin.goto(live_server.url + "/admin/login/?next=/admin/comments/comment/")
    admin.get_by_label("Username").fill("mod")
    admin.get_by_label("Password").fill("moderating-is-careful-work")
    admin.get_by_role("button", name="Log in").click()
    row = admin.locator("#result_list tbody tr").first
    for cell in ("td.field-status", "td.field-needs_care"):
        box = row.locator(cell).bounding_box()
        assert box["x"] + box["width"] <= 1920, cell
        expect(row.locator(cell)).to_be_in_viewport()
    expect(row.locator("td.field-needs_care")).to_contain_text("Mentions self-harm or suicide")
    row.locator('input[name="_selected_action"]').check()
    admin.select_option('select[name="action"]', label="Reject")
    admin.get_by_role("button", name="Go", exact=True).click()
    expect(admin.get_by_role("heading", name="Reject these comments?")).to_be_visible()
    expect(admin.locator(".comment-confirm-list")).to_contain_text("such a burden")
    assert Comment.objects.get(pk=comment.pk).status == Status.PENDING
    context.close()
