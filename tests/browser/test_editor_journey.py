"""An editor's journey in Chromium: edit a section, preview, save with a note, see it on
the public page, compare two revisions, revert, and see the old text again.

The admin runs under the site's strict Content-Security-Policy (no inline scripts or
styles): any console message about it fails the journey, so Django admin's own
JavaScript and our additions must keep working under it.
"""

import re
import uuid

import pytest
from playwright.sync_api import expect

from articles.models import Section
from tests.browser.a11y import WCAG_TAGS, summarize
from tests.browser.a11y import axe_violations as axe_run
from tests.conftest import ROOT
from tests.support.content import ARTICLE_URL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "editing-is-careful-work"
ARTIFACTS = ROOT / "artifacts"


@pytest.fixture
def journey(settings, make_user, imported):
    # pytest-django's live server answers /static/ through the staticfiles finders, which
    # know no hashed names: with the manifest storage every stylesheet and script 404s
    # (the admin's JavaScript included). Unhashed names let the finders serve them.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    make_user("edith", groups=["Editors"], password=PASSWORD)
    ARTIFACTS.mkdir(exist_ok=True)


def watch_console(page):
    """Collect console errors and uncaught exceptions of the page."""
    problems = []

    def on_console(message):
        if message.type == "error":
            problems.append(f"{message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    return problems


def axe_violations(page, context, problems):
    """WCAG 2.2 AA problems axe finds in part of the page (our additions to the admin)."""
    before = len(problems)
    violations = axe_run(page, context=context, tags=[*WCAG_TAGS, "best-practice"])
    # axe's own probes apply inline styles, which the CSP refuses: not the admin's doing.
    del problems[before:]
    return summarize(violations)


def public_text(browser, live_server):
    """The article as an anonymous reader gets it (no session: the page cache applies)."""
    context = browser.new_context()
    try:
        reader = context.new_page()
        response = reader.goto(live_server.url + ARTICLE_URL)
        assert response.status == 200
        return reader.locator("main").inner_text()
    finally:
        context.close()


def test_editor_edits_previews_saves_compares_and_reverts(page, browser, live_server, journey):
    # Letters only: a number without a citation is refused (articles.validation).
    tag = uuid.uuid4().hex[:8].translate(str.maketrans("0123456789", "ghijklmnop"))
    sentence = f"Editors checked this overview on a quiet afternoon ({tag})."
    problems = watch_console(page)
    assert sentence not in public_text(browser, live_server)  # also warms the page cache

    # Log in and open the overview section from the list of sections.
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("edith")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#content")).to_contain_text("Articles, citations and comments")
    page.get_by_role("link", name="Sections").first.click()
    page.locator("#result_list").get_by_role("link", name=re.compile(r": Overview$")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Change section")

    # The citation keys beside the editor narrow as the editor types.
    page.get_by_text(re.compile(r"^Citation keys \(\d+\)")).click()
    page.get_by_label("Filter the keys").fill("self-blinding")
    keys = page.locator("#citation-key-list li:visible")
    expect(keys).to_have_count(1)
    expect(keys).to_contain_text("[@szigeti2021]")

    # Edit: append a sentence with a citation, then preview.
    editor = page.get_by_label("Text (Markdown)")
    original = editor.input_value()
    editor.fill(original + f"\n\n{sentence} [@szigeti2021]")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator(".section-preview")
    expect(preview).to_contain_text(sentence)
    expect(preview.locator("a.cite-link.level-2").last).to_be_visible()
    expect(page.get_by_label("Text (Markdown)")).to_have_value(re.compile(re.escape(sentence)))
    expect(page.locator(".errornote")).to_have_count(0)
    preview.get_by_text(sentence).scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "editor-preview.png"), full_page=False)
    assert axe_violations(page, "#content-main", problems) == ""
    assert sentence not in Section.objects.get(key="overview").body_markdown

    # Save with a change note.
    page.get_by_label("Change note").fill("Say when editors last checked the overview.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert sentence in public_text(browser, live_server)

    # History: tick the two revisions, compare.
    page.locator("#result_list").get_by_role("link", name=re.compile(r": Overview$")).click()
    page.get_by_role("link", name="History").click()
    boxes = page.locator("#change-history input[type=checkbox]")
    expect(boxes).to_have_count(2)
    assert axe_violations(page, "#content-main", problems) == ""
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_role("button", name="Compare").click()
    inserted = page.locator(".diff ins", has_text=sentence)
    expect(inserted).to_be_visible()
    inserted.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "editor-diff.png"), full_page=False)
    assert axe_violations(page, "#content-main", problems) == ""

    # Revert to the older revision, with a note.
    page.get_by_role("link", name="Revert to the older revision…").click()
    expect(page.get_by_label("Text (Markdown)")).to_have_value(original)
    page.get_by_label("Change note").fill("Back to the imported text.")
    page.get_by_role("button", name="Revert").first.click()
    expect(page.locator(".messagelist")).to_be_visible()

    section = Section.objects.get(key="overview")
    assert section.body_markdown == original
    assert section.history.count() == 3
    assert sentence not in public_text(browser, live_server)

    csp = [p for p in problems if "Content Security Policy" in p]
    assert csp == [], csp
    # The admin has no favicon link, so the browser asks for /favicon.ico (a 404).
    others = [p for p in problems if "favicon.ico" not in p]
    assert others == [], others
