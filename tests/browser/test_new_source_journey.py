"""An editor writing a section adds a new source without leaving the text: "Add a new
source" opens the citation form in a new tab, a pasted DOI link fills it from the
(recorded) Crossref record, and the key it shows is citable at once in the first tab."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Section
from citations.models import Citation
from tests.browser.test_editor_journey import (  # noqa: F401 (fixture)
    PASSWORD,
    axe_violations,
    journey,
    watch_console,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_source_from_a_pasted_doi_link_without_losing_the_text(
    page,
    live_server,
    journey,  # noqa: F811 (the fixture imported above)
    recorded_sources,
):
    problems = watch_console(page)
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("edith")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    overview = Section.objects.get(key="overview")
    page.goto(f"{live_server.url}/admin/articles/section/{overview.pk}/change/")

    # Half-way through a sentence that needs a source the site does not have yet.
    editor = page.get_by_label("Text (Markdown)")
    draft = editor.input_value() + "\n\nMagnesium may ease anxiety a little"
    editor.fill(draft)

    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Add a new source").click()
    form = opened.value
    form.wait_for_load_state()
    expect(form.get_by_role("heading", level=1)).to_contain_text("Add citation")

    form.get_by_label("DOI").fill("https://doi.org/10.3390/nu9050429")
    form.get_by_role("button", name="Fill from DOI/PubMed").click()
    expect(form.locator(".messagelist")).to_contain_text("From Crossref: filled")
    expect(form.get_by_label("DOI")).to_have_value("10.3390/nu9050429")
    expect(form.get_by_label("Title")).to_have_value(re.compile("^The Effects of Magnesium"))
    expect(form.get_by_label("Authors")).to_have_value(
        "Boyle, Neil Bernard\nLawton, Clare\nDye, Louise"
    )
    expect(form.get_by_label("Type")).to_have_value("article-journal")
    # Our part of the form (the claims table below it is Django's stock inline).
    ours = "#citation_form > div > fieldset, #citation_form .fill-row, .messagelist"
    assert axe_violations(form, ours, problems) == ""

    # The editor decides what the study is and whether it was checked.
    form.get_by_label("Study design").select_option(label="Systematic review or meta-analysis")
    form.get_by_role("combobox", name="Verification").select_option(label="Verified")
    form.get_by_label("Change note").fill("Added the magnesium review.")
    form.get_by_role("button", name="Save", exact=True).click()
    expect(form.locator(".messagelist")).to_contain_text(
        "Cite this source in a section as [@boyle2017]."
    )
    assert Citation.objects.get(key="boyle2017").doi == "10.3390/nu9050429"

    # Back in the first tab, the text is as it was, and the new key works at once.
    expect(editor).to_have_value(draft)
    editor.fill(draft + " [@boyle2017].")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".section-preview")).to_contain_text("Magnesium may ease anxiety")
    expect(page.locator(".errornote")).to_have_count(0)

    csp = [p for p in problems if "Content Security Policy" in p]
    assert csp == [], csp
    others = [p for p in problems if "favicon.ico" not in p]
    assert others == [], others
