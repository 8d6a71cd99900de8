"""The article page a reader sees, from the real content/ after import_content."""

import json
import re

import pytest
from django.utils.formats import date_format

from tests.articles.factories import article_with
from tests.articles.helpers import (
    ARTICLE_URL,
    by_id,
    has_class,
    parse_html,
    text_of,
)
from tests.conftest import ROOT

# The article this page revises: the page names it and links to it.
SOURCE = ROOT / "tests" / "data" / "source-article.txt"
ORIGINAL_URL = (
    "https://anspore.com/article/can-micro-doses-of-mushrooms-help-you-with-derealization"
)


def keys_in_order(article):
    return list(article.sections.order_by("order").values_list("key", flat=True))


def sections_of(page):
    """The article's own sections in page order: {key: <section> element}."""
    main = page.find(".//main")
    return {
        s.get("id"): s
        for s in main.iter("section")
        if any(c.startswith("section-") for c in (s.get("class") or "").split())
    }


def test_the_sections_in_order_with_their_headings(article_page, imported):
    """The article's sections, in their order, each under its own heading."""
    sections = sections_of(article_page)
    assert list(sections) == keys_in_order(imported)
    for key, section in sections.items():
        heading = section.find("h2")
        assert heading.get("id") == f"{key}-title"
        assert section.get("aria-labelledby") == f"{key}-title"


def test_overview_credits_the_original_with_a_link(article_page):
    """The overview names the article it revises by its exact title and links to it."""
    title = SOURCE.read_text(encoding="utf-8").splitlines()[0].strip()
    links = [(a.get("href"), text_of(a)) for a in sections_of(article_page)["overview"].iter("a")]
    assert (ORIGINAL_URL, title) in links


def test_faq_questions_are_headings_with_anchors(article_page, imported):
    """Each question of the FAQ section's text is an h3 with a stable faq-* anchor
    (check_content checks that each heading there is a question)."""
    questions = list(sections_of(article_page)["faq"].iter("h3"))
    faq = imported.sections.get(key="faq").body_markdown.splitlines()
    asked = sum(line.startswith("### ") for line in faq)
    assert len(questions) == asked > 1
    assert all(text_of(q).endswith("?") for q in questions)
    assert all(q.get("id", "").startswith("faq-") for q in questions)


def test_key_facts_table_keeps_every_row_of_the_text(article_page, imported):
    """The key facts table has the text's column headers and a row for each of its rows
    (check_content checks that each row has its header's cells)."""
    [table] = sections_of(article_page)["key-facts"].iter("table")
    lines = [
        line
        for line in imported.sections.get(key="key-facts").body_markdown.splitlines()
        if line.startswith("|")
    ]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert [text_of(th) for th in table.findall("./thead/tr/th")] == header
    rows = table.findall("./tbody/tr")
    assert len(rows) == len(lines) - 2 > 0  # less the header and the delimiter row
    first = lines[2].strip("|").split("|")[0].strip()
    assert text_of(rows[0].find("td")) == first


def test_byline_names_the_author_from_their_profile_and_no_reviewer(article_page, imported):
    """Nobody has signed a review of the imported article: its author comes from the
    profile content/ names, linked to the team page, and no reviewer or review date shows."""
    [byline] = [p for p in article_page.iter("p") if has_class(p, "byline")]
    assert text_of(byline) == "Written by Alex Author, Health editor"
    [link] = byline.iter("a")
    assert link.get("href").startswith("/about/#person-")
    page_text = text_of(article_page)
    assert "Medically reviewed" not in page_text and "Next review due" not in page_text
    [meta] = [p for p in article_page.iter("p") if has_class(p, "meta")]
    assert f"First published {date_format(imported.published, 'j F Y')}" in text_of(meta)


def test_every_table_of_contents_link_has_a_target(article_page, imported):
    """Each href="#x" in the contents names an element id="x" on the page."""
    ids = {e.get("id") for e in article_page.iter() if e.get("id")}
    [toc] = [n for n in article_page.iter("nav") if has_class(n, "toc")]
    targets = [a.get("href") for a in toc.iter("a")]
    keys = keys_in_order(imported)
    assert len(targets) > len(keys)
    for href in targets:
        assert href.startswith("#")
        assert href[1:] in ids, f"contents link {href} has no target"
    # "How sure are we?" comes first, near the top of the page, then the sections.
    assert targets[0] == "#how-sure"
    assert [h[1:] for h in targets[1 : len(keys) + 1]] == keys


def test_ids_on_the_page_are_unique(client, imported):
    """Duplicate ids would send a reference link or a contents link to the wrong place."""
    by_id(parse_html(client.get(ARTICLE_URL).content))


# Privacy: no cookie, nothing fetched from another host ----------------------------------

RESOURCE_SELECTORS = [
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("iframe", "src"),
    ("source", "src"),
    ("source", "srcset"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("form", "action"),
    ("input", "formaction"),
    ("button", "formaction"),
]


FETCHED_LINKS = {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest",
                 "apple-touch-icon", "dns-prefetch", "preconnect"}  # fmt: skip


def resource_urls(tree):
    """Every URL the browser would load (or submit to) by itself, without a click."""
    urls = []
    for tag, attribute in RESOURCE_SELECTORS:
        for element in tree.iter(tag):
            if tag == "link":
                rel = set((element.get("rel") or "").lower().split())
                if not rel & FETCHED_LINKS:  # canonical, alternate: metadata, not fetched
                    continue
            value = element.get(attribute)
            if value is not None:
                urls.extend(part.strip().split(" ")[0] for part in value.split(","))
    for meta in tree.iter("meta"):
        if (meta.get("http-equiv") or "").lower() == "refresh":
            urls.append((meta.get("content") or "").partition("url=")[2])
    for element in tree.iter():
        if "style" in element.attrib:
            urls.extend(re.findall(r"url\(([^)]*)\)", element.get("style")))
    return urls


def same_host(url):
    """Paths and relative URLs stay on our host; "scheme:" and "//host" do not."""
    return not re.match(r"^([a-z][a-z0-9+.-]*:|//)", url.strip(), flags=re.IGNORECASE)


@pytest.mark.parametrize("url", ["/", ARTICLE_URL])
def test_anonymous_page_sets_no_cookie(client, imported, url):
    """No Set-Cookie, no Vary: Cookie: a shared cache can hold the page for everyone."""
    response = client.get(url)
    assert response.status_code == 200
    assert not response.cookies
    assert "Set-Cookie" not in response.headers
    assert "cookie" not in response.headers.get("Vary", "").lower()


@pytest.mark.parametrize("url", ["/", ARTICLE_URL])
def test_page_loads_nothing_from_another_host(client, imported, url):
    """Every stylesheet, icon, script, image, frame and form target is on our host."""
    tree = parse_html(client.get(url).content)
    urls = resource_urls(tree)
    assert any("/static/" in u for u in urls)  # the check sees the page's own resources
    assert [u for u in urls if not same_host(u)] == []


def test_the_host_check_flags_other_hosts():
    """The resource check above fails on other hosts and ignores plain links."""
    tree = parse_html(
        '<link rel="stylesheet" href="https://cdn.example/x.css">'
        '<script src="//cdn.example/x.js"></script><img src="http://t.example/p.gif">'
        '<form action="https://evil.example/"></form>'
        '<link rel="canonical" href="https://ours.example/a/"><a href="https://doi.org/1">d</a>'
    )
    assert [u for u in resource_urls(tree) if not same_host(u)] == [
        "https://cdn.example/x.css",
        "//cdn.example/x.js",
        "http://t.example/p.gif",
        "https://evil.example/",
    ]


# Structured data ---------------------------------------------------------------------


def structured_data(tree):
    [script] = [s for s in tree.iter("script") if s.get("type") == "application/ld+json"]
    return json.loads(script.text)


def test_json_ld_describes_the_medical_page_and_its_faq(article_page, imported):
    """MedicalWebPage naming its author as a Person, no review (none was signed), and
    FAQPage with the five questions."""
    data = structured_data(article_page)
    by_type = {item["@type"]: item for item in data}
    page = by_type["MedicalWebPage"]
    assert page["name"] == imported.title
    assert page["description"] == imported.summary
    assert "lastReviewed" not in page and "reviewedBy" not in page
    assert page["author"] == [
        {"@type": "Person", "name": "Alex Author", "jobTitle": "Health editor"}
    ]
    assert page["dateModified"] == imported.updated.isoformat()
    assert page["url"].endswith(ARTICLE_URL)

    faq = by_type["FAQPage"]["mainEntity"]
    questions = [text_of(h) for h in sections_of(article_page)["faq"].iter("h3")]
    assert [q["name"] for q in faq] == questions
    for question in faq:
        assert question["@type"] == "Question"
        answer = question["acceptedAnswer"]["text"]
        assert len(answer) > 40
        assert not re.search(r"\s[.,;:!?]", answer), answer  # markers leave no gap
        assert "[@" not in answer


@pytest.mark.django_db
def test_json_ld_cannot_be_closed_by_the_text_it_carries(client):
    """A title or FAQ answer holding "</script>" stays inside the JSON-LD block."""
    hostile = 'Is "</script><script>alert(1)</script>" & <!-- safe?'
    article = article_with(
        {"overview": "Text.", "faq": f"### {hostile}\n\nNo </script> here & there."},
        title=hostile,
        summary=hostile,
    )
    tree = parse_html(client.get(article.get_absolute_url()).content)
    assert [s.get("src") for s in tree.iter("script") if s.get("type") is None] == [
        next(s.get("src") for s in tree.iter("script") if s.get("src"))
    ]  # no script element other than the site's own file and the JSON-LD
    data = {item["@type"]: item for item in structured_data(tree)}
    assert data["MedicalWebPage"]["name"] == hostile
    [question] = sections_of(tree)["faq"].iter("h3")  # raw HTML in Markdown is stripped
    assert data["FAQPage"]["mainEntity"][0]["name"] == text_of(question)
    assert "& <!-- safe?" in text_of(question)


def test_crisis_box_gives_crisis_lines_as_phone_links(article_page):
    """UK and Ireland (Samaritans, NHS 111), US and Canada (988), Australia (Lifeline)
    and the emergency numbers: each a tel: link a phone can call with one tap, in both
    crisis boxes, and each line's source is in the references."""
    expected = {
        "tel:116123": "116 123",
        "tel:111": "NHS 111",
        "tel:988": "988",
        "tel:131114": "13 11 14",
        "tel:999": "999",
        "tel:112": "112",
        "tel:911": "911",
        "tel:000": "000",
    }
    boxes = [e for e in article_page.iter() if has_class(e, "crisis")]
    assert [box.get("id") for box in boxes] == ["crisis-risks", "crisis"]
    for box in boxes:
        links = {
            a.get("href"): text_of(a) for a in box.iter("a") if a.get("href", "").startswith("tel:")
        }
        assert links == expected
    references = text_of(article_page.find(".//section[@id='references']"))
    for source in ("Contact Samaritans", "988 Suicide & Crisis Lifeline", "Lifeline"):
        assert source in references
