"""A citation record's fields never become markup or a script link: references and
citation pages are built from records that did not pass through the sanitizer."""

import json
import xml.etree.ElementTree as etree

import pytest
from django.core.management.base import CommandError

from citations.formatting import ama_html
from tests.articles.factories import article_with
from tests.articles.helpers import copy_content, parse_html, run, text_of
from tests.articles.test_rendering import problems_in
from tests.citations.factories import CitationFactory


def main_html(tree):
    return etree.tostring(tree.find(".//main"), encoding="unicode", method="html")


HOSTILE_URLS = ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<script>x</script>"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_a_script_url_in_a_record_is_never_a_link(client, url):
    """Records can reach the database without the admin's URL validation (citations.json,
    the ORM): the reference list and the citation page still make no script link."""
    citation = CitationFactory(key="odd-url", doi="", url=url, title="<b>Bold</b> & title")
    article = article_with({"overview": "A claim [@odd-url]."})
    assert problems_in(article.references_html) == []
    assert problems_in(str(ama_html(citation))) == []

    page = parse_html(client.get(citation.get_absolute_url()).content)
    assert problems_in(main_html(page)) == []
    assert "<b>Bold</b> & title" in text_of(page.find(".//main"))  # text, not markup


@pytest.mark.django_db
def test_an_http_url_is_still_a_link(client):
    """Ordinary web addresses stay links in the reference and on the citation page."""
    citation = CitationFactory(key="web", doi="", url="https://example.org/report")
    links = [a.get("href") for a in parse_html(str(ama_html(citation))).iter("a")]
    assert links == ["https://example.org/report"]
    page = parse_html(client.get(citation.get_absolute_url()).content)
    assert "https://example.org/report" in [a.get("href") for a in page.iter("a")]


@pytest.mark.django_db
def test_import_refuses_a_record_with_a_script_url(tmp_path):
    """citations.json with a javascript: URL is refused, naming the record."""
    content = copy_content(tmp_path)
    records = json.loads((content / "citations.json").read_text(encoding="utf-8"))
    records[0]["URL"] = "javascript:alert(1)"
    (content / "citations.json").write_text(json.dumps(records), encoding="utf-8")
    with pytest.raises(CommandError, match=f"record “{records[0]['id']}” has a URL that is not"):
        run("import_content", dir=str(content))


def test_the_real_article_page_has_no_handler_or_script_link(article_page):
    """Across the whole page (references, notes, forms): no on* attribute, no inline
    style, no javascript:/data: URL, no frame; the only script is the site's own file."""
    found = problems_in(main_html(article_page))
    furniture = {"<form>", "<input>", "<button>"}  # the page's own feedback and comment forms
    assert [problem for problem in found if problem not in furniture] == []
    scripts = [s.get("src") for s in article_page.iter("script") if s.get("type") is None]
    assert len(scripts) == 1 and scripts[0].startswith("/static/")
