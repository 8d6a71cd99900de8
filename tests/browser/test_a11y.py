"""axe-core in Chromium: no violation of any WCAG 2.0/2.1/2.2 A or AA rule on the reader
pages, experimental rules included (axe-core from npm, see a11y.py).

Pages: the home page; the article on a 1280 px desktop and a 375 px phone, each in the
light and the dark colour scheme; a citation page (a verified source, and one nobody could
find); the article after posting a comment, with an approved comment and an editorial reply
shown; the 404 page. The counts go to artifacts/axe-report.json. (A refused comment's
errors are checked in tests/comments/test_browser.py.)
"""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment, Status

from .a11y import (
    ARTICLE_URL,
    CITATION_PATH,
    DESKTOP,
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
DARK_BACKGROUND = "rgb(17, 22, 20)"


@pytest.fixture
def reader_site(settings, imported):
    return load_reader_site(settings, imported)


def test_reader_pages_have_no_axe_violations(page, browser, live_server, reader_site):
    """Zero axe violations (every WCAG 2.0/2.1/2.2 A and AA rule) on every reader page and
    state."""
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

    def check(name, path=None, on=page):
        if path is not None:
            response = on.goto(live_server.url + path)
            assert response.status == (404 if path == MISSING_PATH else 200), path
        found[name] = axe_violations(on)

    check("home", "/")
    check("citation", CITATION_PATH)
    check("citation not located", NOT_LOCATED_PATH)
    check("404", MISSING_PATH)

    # The article on both screens in both colour schemes: every rule each time (a narrow
    # screen changes target sizes and reflow, a dark scheme every contrast).
    for device, options in (("desktop", DESKTOP), ("375 px phone", PHONE)):
        for scheme in ("light", "dark"):
            context = browser.new_context(**options, color_scheme=scheme)
            try:
                article = context.new_page()
                problems += watch_console(article)
                check(f"article, {device}, {scheme}", ARTICLE_URL, on=article)
                background = article.evaluate("getComputedStyle(document.body).backgroundColor")
                assert (background == DARK_BACKGROUND) == (scheme == "dark"), background
            finally:
                context.close()

    page.goto(live_server.url + ARTICLE_URL)
    page.get_by_label("Name").fill("Robin")
    page.get_by_label("Comment", exact=True).fill("Posted to check the page after posting.")
    page.get_by_role("button", name="Send for moderation").click()
    expect(page).to_have_url(re.compile(r"\?comment=received#comment-form$"))
    expect(page.locator("#comments .comment-name")).to_have_text("Ada")
    check("article after posting a comment")

    write_report(
        "axe-report.json",
        {name: {v["id"]: len(v["nodes"]) for v in found[name]} for name in found},
    )
    failing = {name: summarize(v) for name, v in found.items() if v}
    assert failing == {}, "\n".join(f"{name}:\n{text}" for name, text in failing.items())
    assert problems == []


def test_axe_reports_what_it_should(page, live_server, reader_site):
    """The check itself: the axe run includes the experimental rules (a label that does not
    start the accessible name is reported) and names the rule and the element."""
    page.goto(live_server.url + "/")
    page.evaluate(
        """() => {
            const link = document.createElement("a");
            link.href = "#x";
            link.id = "mismatch";
            link.textContent = "4 lab/opinion";
            link.setAttribute("aria-label", "Reference 4: lab or animal study");
            document.querySelector("main").append(link);
        }"""
    )
    violations = axe_violations(page)
    assert "label-content-name-mismatch" in {v["id"] for v in violations}, summarize(violations)
    assert "label-content-name-mismatch" in summarize(violations)
    assert "#mismatch" in summarize(violations)
