"""The Atom feed, sitemap.xml and robots.txt parse and point at the real pages."""

import datetime
import xml.etree.ElementTree as etree

import pytest

from tests.articles.factories import article_with
from tests.articles.helpers import ARTICLE_URL
from tests.citations.factories import CitationFactory

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_atom_feed_is_valid_with_the_article(client, imported):
    """Atom namespace, feed metadata, and an entry with title, updated, link and author."""
    response = client.get("/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = etree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for required in ("title", "id", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == imported.title
    assert entry.find(f"{ATOM}link").get("href") == f"http://testserver{ARTICLE_URL}"
    updated = datetime.datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
    assert updated.date() == datetime.date(2026, 11, 27)
    assert entry.find(f"{ATOM}id").text
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Alex Author"


@pytest.mark.django_db
def test_feed_published_is_the_publication_date_not_the_last_change(client):
    """<published> stays put when an article is revised; <updated> moves."""
    article = article_with({"overview": "First text."}, published=datetime.date(2024, 3, 1))
    section = article.sections.get()
    section.body_markdown = "Revised text."
    section.save()
    entry = etree.fromstring(client.get("/feed/").content).find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}published").text.startswith("2024-03-01")
    assert not entry.find(f"{ATOM}updated").text.startswith("2024-03-01")


@pytest.mark.django_db
def test_drafts_and_their_sources_are_not_in_the_feed_or_sitemap(client):
    """Unpublished articles, and sources only they cite, stay out of feed and sitemap."""
    CitationFactory(key="draft-only-source")
    CitationFactory(key="public-source")
    article_with(
        {"overview": "Not yet [@draft-only-source]."},
        slug="a-draft",
        published=None,
        status="draft",
    )
    article_with({"overview": "Out now [@public-source]."}, slug="published")
    entries = etree.fromstring(client.get("/feed/").content).findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [
        "http://testserver/articles/published/"
    ]
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/articles/published/" in sitemap and "/citations/public-source/" in sitemap
    assert "a-draft" not in sitemap and "draft-only-source" not in sitemap


def test_sitemap_lists_the_article(client, imported):
    """A urlset in the sitemap namespace with the article and its sources, each once."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urlset = etree.fromstring(response.content)
    assert urlset.tag == f"{SITEMAP}urlset"
    locations = [url.find(f"{SITEMAP}loc").text for url in urlset.findall(f"{SITEMAP}url")]
    assert f"http://testserver{ARTICLE_URL}" in locations
    assert "http://testserver/citations/szigeti2021/" in locations
    assert len(locations) == len(set(locations))


def test_robots_txt_names_the_sitemap(client, db):
    """robots.txt points crawlers at the sitemap, which exists."""
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert client.get("/sitemap.xml").status_code == 200
