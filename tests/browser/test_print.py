"""The article on paper: the print stylesheet keeps the text, the references and where
links lead, and drops the navigation, the table of contents, forms and comments.

Checked twice: with print media emulated on the live page (what is shown and hidden;
a screenshot under artifacts/), and in a real PDF whose text is read with pdftotext
(poppler-utils).
"""

import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from citations.models import Citation
from tests.support.skips import require_tool

from .a11y import ARTICLE_URL, ARTIFACTS, load_reader_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reader_site(settings, imported):
    return load_reader_site(settings, imported)


def test_article_prints_text_and_references_without_navigation_or_forms(
    page, live_server, reader_site
):
    """Print media: references shown, site navigation, TOC, forms, comments and share
    buttons hidden; the PDF's text has the references and printed link addresses and no
    comment form."""
    page.goto(live_server.url + ARTICLE_URL)
    hidden_in_print = {
        "site navigation": page.get_by_role("navigation", name="Site"),
        "table of contents": page.locator("nav.toc"),
        "feedback form": page.locator("#feedback"),
        "comments": page.locator("#comments"),
        "share buttons": page.locator(".share"),
        "reference downloads": page.locator(".exports"),
    }
    for locator in hidden_in_print.values():
        expect(locator).to_be_visible()

    page.emulate_media(media="print")
    assert page.evaluate("matchMedia('print').matches")
    for name, locator in hidden_in_print.items():
        expect(locator, f"{name} should not print").to_be_hidden()
    expect(page.locator("form:visible, button:visible, input:visible")).to_have_count(0)
    expect(page.locator("#references")).to_be_visible()
    # Every record is cited (check_content enforces it), so every record is listed.
    expect(page.locator("#references li.reference")).to_have_count(Citation.objects.count())
    expect(page.locator("#evidence-levels")).to_be_visible()
    expect(page.locator("#crisis")).to_be_visible()
    page.screenshot(
        path=str(ARTIFACTS / "reader-article-print.png"), full_page=True, timeout=60_000
    )

    # (Emulating screen media here would make the PDF use the screen styles.)
    pdf_path = ARTIFACTS / "reader-article.pdf"
    pdf = page.pdf(path=str(pdf_path), format="A4")
    assert pdf[:5] == b"%PDF-"
    require_tool(shutil.which("pdftotext"), "pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf_path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    flat = " ".join(text.split())
    assert reader_site.title in flat
    assert "References" in flat and "How strong is the evidence?" in flat
    assert "If you feel unsafe or in crisis" in flat
    # Where links lead is printed beside them (the PubMed links of the references; a long
    # address may break across lines).
    assert "".join(text.split()).count("(https://pubmed.ncbi.nlm.nih.gov/") >= 10
    for absent in ("Add a comment", "Send for moderation", "Did this article help you?"):
        assert absent not in flat, absent
    assert "On this page" not in flat and "Skip to main content" not in flat
