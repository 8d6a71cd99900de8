"""Citation pages and reference downloads answer odd URLs with the site's 404, never a 500."""

import pytest

from tests.articles.factories import article_with
from tests.articles.helpers import SLUG
from tests.citations.factories import CitationFactory


@pytest.fixture
def published(db):
    """A published article citing one source (what the URLs below are near to)."""
    CitationFactory(key="szigeti2021")
    return article_with({"overview": "A trial found no benefit [@szigeti2021]."}, slug=SLUG)


NOT_FOUND = [
    "/citations/no-such-key/",
    "/citations/export/",
    "/citations/SZIGETI2021/",
    "/citations/%00/",
    "/citations/%ff/",
    "/citations/..%2f..%2fetc%2fpasswd/",
    "/citations/a%2fb/",
    "/citations/%F0%9F%92%A9/",
    "/citations/" + "a" * 3000 + "/",
    "/citations/szigeti2021/extra/",
    "/citations/<script>/",
    f"/citations/export/{SLUG}.exe",
    f"/citations/export/{SLUG}.ris.bak",
    f"/citations/export/{SLUG}.",
    f"/citations/export/{SLUG}.ris/",
    f"/citations/export/{SLUG}.RIS",
    "/citations/export/no-such-article.ris",
    "/citations/export/.ris",
    "/citations/export/%00.json",
    f"/citations/export/{SLUG}.%00",
    f"/citations/export/{SLUG}.json%00",
    f"/citations/export/{SLUG}.bib%2f..%2f",
]


@pytest.mark.parametrize("url", NOT_FOUND)
def test_odd_urls_are_404(client, published, url):
    """Unknown keys, odd characters, traversal attempts and unknown formats: the 404 page."""
    client.raise_request_exception = False
    response = client.get(url)
    if response.status_code == 301:  # a slash appended: the target is still unknown
        response = client.get(response["Location"])
    assert response.status_code == 404, url
    assert "We could not find that page" in response.content.decode()


@pytest.mark.parametrize("fmt", ["ris", "bib", "json"])
def test_known_formats_are_found(client, published, fmt):
    """The three formats the page links to exist (so the 404s above are not vacuous)."""
    assert client.get(f"/citations/export/{SLUG}.{fmt}").status_code == 200


def test_known_citation_is_found_and_its_slashless_url_redirects(client, published):
    """A real citation page answers, and its URL without the slash redirects to it."""
    assert client.get("/citations/szigeti2021/").status_code == 200
    response = client.get("/citations/szigeti2021")
    assert response.status_code == 301 and response["Location"] == "/citations/szigeti2021/"


def test_post_to_a_citation_page_is_not_a_500(client, published):
    """A POST to a read-only page is refused or ignored, never a server error."""
    client.raise_request_exception = False
    response = client.post("/citations/szigeti2021/", {"x": "y"})
    assert response.status_code < 500
