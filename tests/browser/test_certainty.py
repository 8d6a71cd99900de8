"""The "How sure are we?" table in Chromium: it works without JavaScript (the reasons open
in a native <details>), axe finds no WCAG 2.2 A/AA violation in it in light and dark mode
and on a phone, where each row is a card and nothing scrolls sideways; printed, the
reasons show without a click."""

import pytest

from .a11y import (
    ARTICLE_URL,
    COLOUR_RULES,
    PHONE,
    axe_violations,
    load_reader_site,
    summarize,
    watch_console,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TABLE = "#how-sure"


@pytest.fixture
def reader_site(settings, imported):
    return load_reader_site(settings, imported)


def table_violations(page, rules=None):
    return axe_violations(page, rules=rules, context=TABLE)


def test_the_table_works_without_javascript(browser, live_server, reader_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + ARTICLE_URL)
    rows = page.locator(f"{TABLE} tbody tr")
    assert rows.count() >= 4
    first_reason = rows.nth(1).locator("details ul li").first
    assert not first_reason.is_visible()
    rows.nth(1).locator("summary").click()
    assert first_reason.is_visible()
    assert rows.nth(1).locator(".certainty-word").is_visible()
    context.close()


def test_no_axe_violations_in_light_dark_and_on_a_phone(browser, live_server, reader_site):
    found = {}
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = watch_console(page)
    page.goto(live_server.url + ARTICLE_URL)
    page.locator(f"{TABLE} tbody tr").nth(1).locator("summary").click()  # reasons open
    found["light"] = table_violations(page)
    page.emulate_media(color_scheme="dark")
    found["dark"] = table_violations(page, rules=COLOUR_RULES)
    page.emulate_media(media="print", color_scheme="light")
    assert page.locator(f"{TABLE} .print-only").first.is_visible()
    assert not page.locator(f"{TABLE} details").first.is_visible()
    context.close()

    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.goto(live_server.url + ARTICLE_URL)
    row = page.locator(f"{TABLE} tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "block"  # a card
    assert page.locator(f"{TABLE} .card-label").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    found["phone"] = table_violations(page)
    phone.close()

    assert not problems, problems
    for name, violations in found.items():
        assert not violations, f"{name}:\n{summarize(violations)}"
