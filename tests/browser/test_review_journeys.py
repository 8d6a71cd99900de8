"""The medical reviewer's journeys in Chromium: after an editor changes a section of the
flagship, the reviewer opens one page with everything that changed since their last
signature, reads the diff and signs there; the next visit has nothing left to check."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article, Review, Section
from tests.browser.test_editor_journey import axe_violations, watch_console
from tests.browser.test_publishing_journeys import sign_in, staff  # noqa: F401
from tests.conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = ROOT / "artifacts"
OLD = "This page is for people with derealization who wonder about mushrooms."
NEW = "This page is for people with derealization who ask about mushrooms."


def open_review(page, live_server, link):
    page.goto(live_server.url + "/admin/articles/article/")
    page.get_by_role("link", name=re.compile("Can microdosing")).first.click()
    page.get_by_role("link", name=link).click()
    expect(page.get_by_role("heading", level=2).first).to_be_visible()


def test_reviewer_reads_the_whole_article_diff_and_signs(page, browser, live_server, staff):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    problems = watch_console(page)
    # The article was reviewed once, as imported.
    sign_in(page, live_server, "rita")
    open_review(page, live_server, "Sign the medical review")
    expect(page.locator("#changes-title")).to_contain_text("Everything is new")
    page.get_by_label(re.compile("I have checked the whole article")).check()
    page.get_by_role("button", name="Sign the review").click()
    expect(page.locator(".messagelist")).to_contain_text("You signed the medical review")

    # An editor changes two words of the overview, in another browser.
    editing = browser.new_context()
    editor = editing.new_page()
    sign_in(editor, live_server, "edith")
    overview = Section.objects.get(key="overview")
    editor.goto(live_server.url + f"/admin/articles/section/{overview.pk}/change/")
    text = editor.get_by_label("Text (Markdown)")
    text.fill(text.input_value().replace(OLD, NEW))
    editor.get_by_label("Change note").fill("Plainer words in the overview.")
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")
    # The editor can read what changed since the review, not sign it.
    open_review(editor, live_server, "What changed since the last review")
    expect(editor.locator("#content-main")).to_contain_text("Only a medical reviewer can sign")
    expect(editor.get_by_role("button", name="Sign the review")).to_have_count(0)
    editing.close()

    # The reviewer sees only that change, in words, the rest folded away.
    open_review(page, live_server, "Sign the medical review")
    expect(page.locator(".review-summary")).to_contain_text("1 change to check")
    change = page.locator(".review-change.review-changed")
    expect(change).to_have_count(1)
    expect(change.locator("h4")).to_have_text("Overview (Changed)")
    expect(change.locator("del")).to_have_text(["wonder"])
    expect(change.locator("ins")).to_have_text(["ask"])
    sections = page.locator("section.review-group", has=page.locator("h3", has_text="Sections:"))
    expect(sections.locator("h3")).to_have_text("Sections: 1 of 8 changed")
    unchanged = sections.locator("details.review-unchanged")
    expect(unchanged.locator(".review-change").first).to_be_hidden()
    expect(unchanged.locator("summary")).to_contain_text("Unchanged (7)")
    change.locator("ins").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "review-diff.png"), full_page=False)
    assert axe_violations(page, "#content-main", problems) == ""

    page.get_by_label(re.compile("I have checked the whole article")).check()
    page.get_by_label("Review note").fill("Checked the plainer overview.")
    page.get_by_role("button", name="Sign the review").click()
    expect(page.locator(".messagelist")).to_contain_text("You signed the medical review")
    assert Review.objects.count() == 2
    assert not Article.objects.get().changed_since_review

    open_review(page, live_server, "Sign the medical review")
    expect(page.locator(".review-summary")).to_contain_text(
        "No changes since the last signed review"
    )
    expect(page.locator(".review-change.review-changed")).to_have_count(0)
    # Nothing refused by the CSP, no script error (the admin has no favicon: a 404).
    others = [p for p in problems if "favicon.ico" not in p]
    assert others == [], others
