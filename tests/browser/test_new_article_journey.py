"""A new article from start to readers, in Chromium, as a new editor would make it: one
article screen with three sections (one of a kind the flagship has not), a new source
made from a pasted doi.org link without leaving the text being written, a preview, one
change note for the save; a reviewer reads the whole-article diff and signs; the article
is published and a reader sees its three sections and the source, linked once."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Article, ArticleStatus
from citations.models import Citation
from people.models import Profile
from tests.browser.test_editor_journey import axe_violations, watch_console
from tests.browser.test_publishing_journeys import sign_in
from tests.conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "reviewing-is-careful-work"  # sign_in's
ARTIFACTS = ROOT / "artifacts"
DOI_LINK = "https://doi.org/10.3390/nu9050429"
TITLE = "Does magnesium help with anxiety?"
SLUG = "does-magnesium-help-with-anxiety"
NOTE = "New article: magnesium and anxiety, three sections."
SECTIONS = [
    (
        "overview",
        "Overview",
        "Magnesium is a mineral in nuts, seeds and green vegetables. A review of several "
        "small studies found that it may ease mild anxiety, but the studies were weak.",
    ),
    (
        "living-with-it",
        "Living with anxiety",
        "Regular sleep, time outdoors and talking with someone you trust help many people. "
        "A talking therapy helps more than any supplement.",
    ),
    (
        "risks",
        "Risks and side effects",
        "Too much magnesium from supplements can upset the stomach. People with kidney "
        "disease should ask a doctor first.",
    ),
]
CITED = " [@{key}]"


@pytest.fixture
def newsroom(settings, make_user):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("import_content", stdout=io.StringIO(), stderr=io.StringIO())
    editor = make_user("edith", groups=["Editors"], password=PASSWORD)
    Profile.objects.create(user=editor, public_name="Edith Evans", role="Health editor")
    reviewer = make_user("rita", groups=["Reviewers"], password=PASSWORD)
    Profile.objects.create(
        user=reviewer, public_name="Dr Rita Okafor", role="Consultant psychiatrist"
    )
    ARTIFACTS.mkdir(exist_ok=True)


def new_source_from_doi_link(page):
    """Add a new source from the article screen; it opens in its own tab, so the text
    being written stays. Returns the key to cite."""
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Add a new source").click()
    tab = opened.value
    tab.get_by_label("DOI").fill(DOI_LINK)
    tab.get_by_role("button", name="Fill from DOI/PubMed").click()
    # Stored as the DOI itself, whichever form it was pasted in.
    expect(tab.get_by_label("DOI")).to_have_value("10.3390/nu9050429")
    expect(tab.get_by_label("Title")).to_have_value(re.compile("Magnesium Supplementation"))
    expect(tab.get_by_label("Authors")).to_have_value(re.compile("^Boyle, Neil Bernard"))
    tab.get_by_label("Study design").select_option(label="Systematic review or meta-analysis")
    tab.get_by_role("combobox", name="Verification").select_option(label="Verified")
    tab.get_by_label("Change note").fill("New source from its DOI.")
    tab.get_by_role("button", name="Save", exact=True).click()
    message = tab.locator(".messagelist").get_by_text("Cite this source in a section as")
    expect(message).to_be_visible()
    key = re.search(r"\[@([\w.:-]+)\]", message.inner_text()).group(1)
    tab.close()
    return key


def test_new_article_with_a_new_kind_of_section_and_a_source_from_a_doi_link(
    page, browser, live_server, newsroom, recorded_sources
):
    problems = watch_console(page)
    screens = []
    page.on("framenavigated", lambda frame: frame.parent_frame or screens.append(frame.url))
    sign_in(page, live_server, "edith")

    # One screen: the new article, blank, with rows for its sections.
    page.goto(live_server.url + "/admin/articles/article/")
    page.get_by_role("link", name=re.compile("Add article")).click()
    page.get_by_role("link", name="blank").click()
    screens.clear()
    page.locator("#id_title").fill(TITLE)
    page.get_by_label("Summary").fill(
        "Magnesium may ease mild anxiety a little; the studies are weak."
    )
    page.get_by_label("Edith Evans").check()
    for row, (key, title, text) in enumerate(SECTIONS):
        page.locator(f"#id_sections-{row}-order").fill(str(row + 1))
        page.locator(f"#id_sections-{row}-key").fill(key)
        page.locator(f"#id_sections-{row}-title").fill(title)
        page.locator(f"#id_sections-{row}-body_markdown").fill(text)

    # The source is new: made in another tab from the link as copied, the text kept.
    key = new_source_from_doi_link(page)
    overview = page.locator("#id_sections-0-body_markdown")
    expect(overview).to_have_value(SECTIONS[0][2])
    overview.fill(SECTIONS[0][2] + CITED.format(key=key))

    page.get_by_role("button", name="Preview").click()
    preview = page.locator(".article-preview")
    for _key, title, _text in SECTIONS:
        expect(preview.get_by_role("heading", name=re.compile(re.escape(title)))).to_be_visible()
    expect(preview.locator("a.cite-link")).to_have_count(1)
    expect(page.locator("#id_sections-1-key")).to_have_value("living-with-it")
    preview.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "new-article-preview.png"), full_page=False)
    assert axe_violations(page, "#content-main", problems) == ""

    # Submitted for review with one change note for the whole save.
    page.get_by_label("Status").select_option(label="Awaiting medical review")
    expect(page.get_by_label("Change note")).to_have_count(1)
    page.get_by_label("Change note").fill(NOTE)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    # Every request of the creation went to the one screen (the source had its own tab).
    assert {re.sub(r"\?.*", "", url).removeprefix(live_server.url) for url in screens[:-1]} == {
        "/admin/articles/article/add/"
    }, screens

    article = Article.objects.get(slug=SLUG)
    assert article.status == ArticleStatus.AWAITING_REVIEW
    sections = list(article.sections.order_by("order"))
    assert [(s.key, s.title) for s in sections] == [(k, t) for k, t, _ in SECTIONS]
    assert [r.history_change_reason for r in article.history.all()] == [NOTE]
    for section in sections:
        assert [r.history_change_reason for r in section.history.all()] == [NOTE]
    source = Citation.objects.get(key=key)
    assert source.doi == "10.3390/nu9050429"

    # The reviewer: the whole article is new to them; they sign on that page.
    reviewing = browser.new_context()
    reviewer = reviewing.new_page()
    sign_in(reviewer, live_server, "rita")
    reviewer.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    reviewer.get_by_role("link", name="Sign the medical review").click()
    expect(reviewer.locator("#changes-title")).to_contain_text("Everything is new")
    group = reviewer.locator(
        "section.review-group", has=reviewer.locator("h3", has_text="Sections:")
    )
    expect(group.locator("h3")).to_have_text("Sections: 3 of 3 changed")
    expect(group.locator("h4")).to_have_text([f"{t} (New)" for _k, t, _ in SECTIONS])
    sources = reviewer.locator(
        "section.review-group", has=reviewer.locator("h3", has_text="Sources cited:")
    )
    expect(sources.locator("h4")).to_have_text([f"{key} (New)"])
    expect(sources.locator("ins")).to_contain_text("10.3390/nu9050429")
    reviewer.get_by_label(re.compile("I have checked the whole article")).check()
    reviewer.get_by_role("button", name="Sign the review").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("You signed the medical review")
    reviewing.close()

    # Published by the editor, with one note.
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    page.get_by_label("Status").select_option(label="Published")
    expect(page.get_by_label("Change note")).to_have_count(1)
    page.get_by_label("Change note").fill("Published after the medical review.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    # A reader sees the three sections, the new kind in the contents, the source once.
    reading = browser.new_context()
    reader = reading.new_page()
    response = reader.goto(live_server.url + f"/articles/{SLUG}/")
    assert response.status == 200
    for key_, title, _text in SECTIONS:
        expect(reader.locator(f"#{key_}")).to_contain_text(title)
    expect(reader.locator(".toc")).to_contain_text("Living with anxiety")
    expect(reader.locator(f'a[href="{DOI_LINK}"]')).to_have_count(1)
    assert "doi.org/https" not in reader.content()
    reading.close()
    others = [p for p in problems if "favicon.ico" not in p]
    assert others == [], others
