"""The article's page budget, measured on the page as served.

- HTML: the article as the server sends it, gzip-compressed at level 6 (nginx's and
  whitenoise's usual level): at most 30 KB.
- CSS and JS: the hashed files collected into STATIC_ROOT that the page links to, as
  served: whitenoise's (and nginx's gzip_static) pre-compressed .gz copies. At most
  15 KB of CSS and 5 KB of JavaScript, compressed.
- No web fonts, every image with width and height, no request to another host, no
  cookie (checked again in Chromium, which sees every request the page makes).

The numbers go to artifacts/budget-report.json.
"""

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from .a11y import ARTICLE_URL, load_reader_site, serve_unhashed_static, write_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KB = 1000
BUDGET = {"html": 30 * KB, "css": 15 * KB, "js": 5 * KB}
FONT_FILE = re.compile(r"\.(woff2?|ttf|otf|eot)(\?|#|$)", re.I)
RESOURCE_ATTRS = {
    "link": "href",
    "script": "src",
    "img": "src",
    "source": "src",
    "iframe": "src",
    "video": "src",
    "audio": "src",
    "embed": "src",
    "object": "data",
}


class Resources(HTMLParser):
    """What the browser would fetch from the HTML: stylesheets, scripts, images, frames."""

    def __init__(self):
        super().__init__()
        self.stylesheets, self.scripts, self.fetched, self.images, self.preloads = (
            [],
            [],
            [],
            [],
            [],
        )

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            rel = (attrs.get("rel") or "").lower().split()
            if "stylesheet" in rel:
                self.stylesheets.append(attrs["href"])
            if not {"stylesheet", "icon", "preload", "modulepreload", "manifest"} & set(rel):
                return  # canonical, alternate: links, not requests
            if "preload" in rel:
                self.preloads.append(attrs)
        if tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        if tag == "img":
            self.images.append(attrs)
        url = attrs.get(RESOURCE_ATTRS.get(tag, ""))
        if url:
            self.fetched.append(url)
        for candidate in (attrs.get("srcset") or "").split(","):
            if candidate.strip():
                self.fetched.append(candidate.split()[0])


def collected(url):
    """The file in STATIC_ROOT behind a /static/ URL."""
    assert url.startswith(django_settings.STATIC_URL), url
    return Path(django_settings.STATIC_ROOT) / url[len(django_settings.STATIC_URL) :]


def sizes(path):
    raw = path.read_bytes()
    served = path.with_name(path.name + ".gz")
    return {
        "raw": len(raw),
        "gzip": len(served.read_bytes()) if served.exists() else len(gzip.compress(raw, 6)),
        "gzip_file": served.exists(),
    }


def test_article_meets_its_page_budget(client, browser, live_server, settings, imported):
    """The served article: HTML ≤ 30 KB, CSS ≤ 15 KB, JS ≤ 5 KB (compressed), no web
    fonts, images sized, nothing from another host, no cookie."""
    load_reader_site(settings, imported, live=False)
    response = client.get(ARTICLE_URL)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers and not response.cookies
    html = response.content
    parser = Resources()
    parser.feed(html.decode())

    report = {"html": {"raw": len(html), "gzip": len(gzip.compress(html, 6))}}
    hashed = re.compile(r"\.[0-9a-f]{12}\.(css|js)$")
    css_text = ""
    for kind, urls in (("css", parser.stylesheets), ("js", parser.scripts)):
        assert urls, f"the article links no {kind}"
        files = [collected(url) for url in urls]
        assert all(hashed.search(f.name) for f in files), files  # cacheable for a year
        report[kind] = {"files": [f.name for f in files]} | {
            key: sum(sizes(f)[key] for f in files) for key in ("raw", "gzip")
        }
        if kind == "css":
            css_text = "".join(f.read_text() for f in files)
    write_report("budget-report.json", report)
    over = {
        k: (report[k]["gzip"], limit) for k, limit in BUDGET.items() if report[k]["gzip"] > limit
    }
    assert over == {}, f"over budget (compressed bytes, limit): {over}"

    # No web fonts: no @font-face, no font files, no font preloads.
    assert "@font-face" not in css_text
    assert not any(FONT_FILE.search(url) for url in parser.fetched)
    assert not [p for p in parser.preloads if p.get("as") == "font"]
    # Every image has its size, so nothing jumps while the page loads.
    unsized = [img for img in parser.images if not (img.get("width") and img.get("height"))]
    assert unsized == []
    # Every request the HTML and CSS would make stays on this host.
    css_urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", css_text)
    css_urls += re.findall(r"@import\s+['\"]([^'\"]+)", css_text)
    foreign = [
        url
        for url in parser.fetched + css_urls
        if urlsplit(url).netloc or urlsplit(url).scheme not in ("", "data")
    ]
    assert foreign == []

    # The same page in Chromium: every request it makes, and the cookies it ends with.
    serve_unhashed_static(settings)
    cache.clear()
    context = browser.new_context()
    try:
        page = context.new_page()
        requests = []
        page.on("request", lambda request: requests.append(request))
        page.goto(live_server.url + ARTICLE_URL, wait_until="networkidle")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_load_state("networkidle")
        host = urlsplit(live_server.url).netloc
        elsewhere = [r.url for r in requests if urlsplit(r.url).netloc != host]
        assert elsewhere == []
        assert [r.url for r in requests if r.resource_type == "font"] == []
        assert len(requests) <= 4, [r.url for r in requests]  # page, CSS, JS, icon
        assert context.cookies() == []
    finally:
        context.close()
