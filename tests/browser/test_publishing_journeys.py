"""A reviewer's and an editor's journeys in Chromium, from a fresh import like `make run`:
the flagship says it is not yet reviewed; a reviewer signs the review in the admin and the
byline then names their profile; an editor takes an article back to draft, sees it with
the draft banner where readers get a 404, and deletes a section with a change note."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article, Section
from people.models import Profile
from tests.support.content import ARTICLE_URL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "reviewing-is-careful-work"


@pytest.fixture
def staff(settings, make_user, imported):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    reviewer = make_user("rita", groups=["Reviewers"], password=PASSWORD)
    Profile.objects.create(
        user=reviewer, public_name="Dr Rita Okafor", role="Consultant psychiatrist"
    )
    make_user("edith", groups=["Editors"], password=PASSWORD)


def sign_in(page, live_server, username):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#content")).to_contain_text("Articles, citations and comments")


def as_reader(browser, live_server):
    """A new reader (a new context: no session, no browser cache)."""
    context = browser.new_context()
    page = context.new_page()
    response = page.goto(live_server.url + ARTICLE_URL)
    return context, page, response


def test_reviewer_signs_and_the_byline_names_their_profile(page, browser, live_server, staff):
    context, reader, response = as_reader(browser, live_server)
    assert response.status == 200
    header = reader.locator(".article-header")
    expect(header.locator("p").first).to_contain_text("Not yet medically reviewed.")
    expect(header).not_to_contain_text("Medically reviewed by")
    context.close()

    sign_in(page, live_server, "rita")
    page.goto(live_server.url + "/admin/articles/article/")
    page.get_by_role("link", name=re.compile("Can microdosing")).click()
    page.get_by_role("link", name="Sign the medical review").click()
    expect(page.locator("#content-main")).to_contain_text(
        "You sign as Dr Rita Okafor, Consultant psychiatrist"
    )
    page.get_by_label(re.compile("I have checked the whole article")).check()
    page.get_by_label("Review note").fill("Checked every trial against its paper.")
    page.get_by_role("button", name="Sign the review").click()
    expect(page.locator(".messagelist")).to_contain_text("You signed the medical review")

    context, reader, _ = as_reader(browser, live_server)
    byline = reader.locator(".byline")
    expect(byline).to_contain_text("Medically reviewed by Dr Rita Okafor, Consultant psychiatrist")
    expect(reader.locator(".article-header")).not_to_contain_text("Not yet medically reviewed")
    reader.locator(".byline").get_by_role("link", name="Dr Rita Okafor").click()
    expect(reader.locator(".team")).to_contain_text("Consultant psychiatrist")
    context.close()


def test_editor_drafts_previews_and_deletes_a_section(page, browser, live_server, staff):
    sign_in(page, live_server, "edith")
    page.goto(live_server.url + "/admin/articles/article/")
    page.get_by_role("link", name=re.compile("Can microdosing")).click()
    page.get_by_label("Status").select_option(label="Draft")
    page.get_by_label("Change note").fill("Back to draft while we rework the risks.")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert Article.objects.get().status == "draft"

    # The editor sees the draft at its public address; a reader gets a 404.
    page.goto(live_server.url + ARTICLE_URL)
    expect(page.locator(".draft-banner")).to_contain_text("Draft — not public.")
    context, reader, response = as_reader(browser, live_server)
    assert response.status == 404
    context.close()

    # Delete a section: the note is asked for and kept in the history.
    mechanism = Section.objects.get(key="mechanism")
    page.goto(live_server.url + f"/admin/articles/section/{mechanism.pk}/delete/")
    page.get_by_role("button", name="Delete the section").click()
    expect(page.locator(".errorlist")).to_contain_text("Say what you deleted and why")
    page.get_by_label("Change note").fill("The mechanism section said too little.")
    page.get_by_role("button", name="Delete the section").click()
    expect(page.locator(".messagelist")).to_contain_text("rendered again without")
    page.goto(live_server.url + ARTICLE_URL)
    expect(page.locator("#mechanism")).to_have_count(0)
    expect(page.locator(".toc")).not_to_contain_text("Mechanism")
    page.goto(live_server.url + f"/admin/articles/section/{mechanism.pk}/history/")
    expect(page.locator("#change-history")).to_contain_text(
        "The mechanism section said too little."
    )
