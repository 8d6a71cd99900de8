"""The admin keeps working under the site's strict Content-Security-Policy, in Chromium.

A moderator and an editor use the admin's JavaScript widgets — the slug filled from
the title, the "select all" box of a list, the sidebar's
model filter, the collapsible filter panel and the reply templates (JSON read by our
script) — and no console message mentions the Content Security Policy.
"""

import pytest
from playwright.sync_api import expect

from comments.models import Comment, Status
from tests.support.content import ARTICLE_URL

from .conftest import ADMIN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browsing-the-admin-safely"


@pytest.fixture
def admin_site(settings, make_user, imported):
    # pytest-django's live server serves /static/ through the finders, which know no
    # hashed names (see tests/browser/test_editor_journey.py).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    make_user("edith", groups=["Editors"], password=PASSWORD)
    make_user("morgan", groups=["Moderators"], password=PASSWORD)
    article = imported
    for n in range(3):
        Comment.objects.create(
            article=article, name=f"Reader {n}", body=f"How much should I take? {n} mg"
        )
    Comment.objects.create(
        article=article, name="<script>alert(1)</script>", body="<img src=x onerror=alert(1)>",
        status=Status.APPROVED,
    )  # fmt: skip


def watch(page):
    """Console messages and page errors; the test fails on any about the CSP."""
    seen = []
    page.on("console", lambda m: seen.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: seen.append(f"pageerror: {e}"))
    page.on("response", lambda r: r.status >= 400 and seen.append(f"http {r.status}: {r.url}"))
    page.on("dialog", lambda d: seen.append(f"dialog: {d.message}") or d.dismiss())
    return seen


def csp_problems(seen):
    words = ("content security policy", "content-security-policy", "refused to")
    return [m for m in seen if any(w in m.lower() for w in words)]


def log_in(page, live_server, username):
    page.goto(live_server.url + ADMIN + "login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#content")).to_contain_text("Articles, citations and comments")


def test_editor_widgets_work_under_the_csp(page, live_server, admin_site):
    seen = watch(page)
    log_in(page, live_server, "edith")

    # Add an article: the slug follows the title (prepopulate.js). (The publication date
    # is set by publishing, not typed: editors' forms have no date field any more.)
    page.goto(live_server.url + ADMIN + "articles/article/add/")
    # The article's own title: each inline section has a "Title" field as well.
    page.locator("#id_title").press_sequentially("Sleep and anxiety: what helps")
    expect(page.get_by_label("Slug")).to_have_value("sleep-and-anxiety-what-helps")

    # The sidebar's model filter (nav_sidebar.js) narrows the models as the editor types.
    page.goto(live_server.url + ADMIN + "citations/citation/")
    page.locator("#nav-filter").fill("sect")
    expect(page.locator("#nav-sidebar tr.model-section")).to_be_visible()
    expect(page.locator("#nav-sidebar tr.model-citation")).to_be_hidden()

    # The list's filter panel folds away (filters.js keeps its state).
    page.locator("#changelist-filter details summary").first.click()

    assert not [m for m in seen if m.startswith(("dialog", "pageerror"))], seen
    assert not csp_problems(seen), seen


def test_moderator_widgets_work_under_the_csp(page, live_server, admin_site):
    seen = watch(page)
    log_in(page, live_server, "morgan")
    page.goto(live_server.url + ADMIN + "comments/comment/?status__exact=pending")

    # "Select all" ticks every row and counts them (actions.js).
    page.locator("#action-toggle").check()
    expect(page.locator("input.action-select:checked")).to_have_count(3)
    expect(page.locator(".action-counter")).to_contain_text("3 of 3 selected")

    # A reply template fills the reply box (our script, reading json_script data).
    page.locator("#result_list tbody th a").first.click()
    page.get_by_label("Start from a reply template").select_option(index=1)
    expect(page.get_by_label("Reply as the editorial team")).not_to_have_value("")

    # The hostile comment is text in the list and on the change form, and ran nothing.
    page.goto(live_server.url + ADMIN + "comments/comment/?status__exact=approved")
    expect(page.locator("#result_list")).to_contain_text("<img src=x onerror=alert(1)>")
    expect(page.locator("#result_list")).to_contain_text("<script>alert(1)</script>")
    assert not [m for m in seen if m.startswith("dialog")], seen
    assert not csp_problems(seen), seen


def test_reader_page_with_a_hostile_approved_comment(page, live_server, admin_site):
    """The approved hostile comment on the article page: shown as text, nothing runs,
    no CSP report (nothing even tried to run)."""
    seen = watch(page)
    page.goto(live_server.url + ARTICLE_URL + "#comments")
    comments = page.locator("#comments")
    expect(comments).to_contain_text("<img src=x onerror=alert(1)>")
    expect(comments).to_contain_text("<script>alert(1)</script>")
    assert page.locator("#comments img, #comments script").count() == 0
    assert not [m for m in seen if m.startswith(("dialog", "pageerror"))], seen
    assert not csp_problems(seen), seen
