"""axe-core in Chromium: no violation of the WCAG 2.2 A and AA rules on the reader pages.

Pages: the home page; the article on a desktop, again in dark mode (the colour rules:
contrast must hold there too) and on a 375 px phone (the layout rules: target sizes…);
a citation page (a verified source, and one nobody could find); the article after
posting a comment, with an approved comment and an editorial reply shown; the 404 page.
The counts go to artifacts/axe-report.json. (A refused comment's errors are checked in
tests/comments/test_browser.py.)
"""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment, Status

from .a11y import (
    ARTICLE_PATH,
    CITATION_PATH,
    COLOUR_RULES,
    LAYOUT_RULES,
    MISSING_PATH,
    PHONE,
    axe_violations,
    load_reader_site,
    summarize,
    watch_console,
    write_report,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOT_LOCATED_PATH = "/citations/src-jps-2023-survey/"


@pytest.fixture
def reader_site(settings):
    return load_reader_site(settings)


def test_reader_pages_have_no_axe_violations(page, browser, live_server, reader_site):
    """Zero axe violations (WCAG 2.0/2.1/2.2, A and AA) on every reader page and state."""
    approved = Comment.objects.create(
        article=reader_site, name="Ada", body="It helped to read this.", status=Status.APPROVED
    )
    Comment.objects.create(
        article=reader_site,
        parent=approved,
        is_editorial=True,
        name="The editorial team",
        body="Thank you for telling us.",
        status=Status.APPROVED,
    )
    problems = watch_console(page, allow=["status of 404"])
    found = {}

    def check(name, path=None):
        if path is not None:
            response = page.goto(live_server.url + path)
            assert response.status == (404 if path == MISSING_PATH else 200), path
        found[name] = axe_violations(page)

    check("home", "/")
    check("article", ARTICLE_PATH)
    # Dark mode changes colours only: the colour rules again.
    page.emulate_media(color_scheme="dark")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(17, 22, 20)"
    found["article, dark mode"] = axe_violations(page, rules=COLOUR_RULES)
    page.emulate_media(color_scheme="light")
    check("citation", CITATION_PATH)
    check("citation not located", NOT_LOCATED_PATH)
    check("404", MISSING_PATH)

    page.goto(live_server.url + ARTICLE_PATH)
    page.get_by_label("Name").fill("Robin")
    page.get_by_label("Comment", exact=True).fill("Posted to check the page after posting.")
    page.get_by_role("button", name="Send for moderation").click()
    expect(page).to_have_url(re.compile(r"\?comment=received#comment-form$"))
    expect(page.locator("#comments .comment-name")).to_have_text("Ada")
    check("article after posting a comment")

    phone = browser.new_context(**PHONE)
    try:
        phone_page = phone.new_page()
        phone_page.goto(live_server.url + ARTICLE_PATH)
        # A narrow screen changes layout only: the layout rules again (target sizes…).
        found["article, 375 px phone"] = axe_violations(phone_page, rules=LAYOUT_RULES)
    finally:
        phone.close()

    write_report("axe-report.json", {name: len(v) for name, v in found.items()})
    failing = {name: summarize(v) for name, v in found.items() if v}
    assert failing == {}, "\n".join(f"{name}:\n{text}" for name, text in failing.items())
    assert problems == []
