"""Hostile input in what editors and reviewers type in the admin: section Markdown and
titles, citation fields, article fields and review notes.

Markdown whose HTML the sanitizer would strip is refused with a form error saying what
would be removed; whatever is accepted is shown sanitized in the preview and on the
page. Citation and article fields are escaped on the citation page, in the references,
in JSON-LD, in the feed and on the admin pages that show them. Every refusal keeps what
the editor typed.
"""

import datetime
import json
import xml.etree.ElementTree as ET

import pytest

from articles.models import Article, Section
from articles.rendering import RenderError, render_markdown
from citations.models import Citation
from citations.source_types import SourceType
from tests.support.admin import form_data, form_errors, post

from . import tally
from .checks import as_browser_shows, assert_safe, field_value
from .conftest import ADMIN, ARTICLE_URL
from .corpus import EVERYTHING, HOSTILE, ident, sample
from .test_renderers import CITATIONS

pytestmark = pytest.mark.django_db

SECTIONS = ADMIN + "articles/section/"
CITATIONS_ADMIN = ADMIN + "citations/citation/"
ARTICLES_ADMIN = ADMIN + "articles/article/"


def expected_refusal(text):
    """What the pipeline itself says about this Markdown: [] when it renders cleanly."""
    try:
        return render_markdown(text, prefix="overview", citations=CITATIONS).stripped
    except RenderError as error:
        return [str(p) for p in error.problems]


@pytest.mark.slow
def test_every_string_as_section_markdown_in_the_preview(editor_client, published):
    """Each string previewed as the overview's Markdown: refused with what would be
    removed (the text kept), or shown sanitized in the preview."""
    overview = published.sections.get(key="overview")
    url = f"{SECTIONS}{overview.pk}/change/"
    data = form_data(editor_client.get(url))
    for text in EVERYTHING:
        response = editor_client.post(url, {**data, "body_markdown": text, "_preview": "Preview"})
        tally.sent("admin: section Markdown", text)
        assert response.status_code == 200, text
        html = response.content.decode()
        expected = [p for p in expected_refusal(text) if "would be removed" in p]
        if expected:
            # Refused: each thing the sanitizer would take out is named, nothing saved.
            assert "Preview — as readers will see it" not in html, text
            errors = form_errors(response)
            for problem in expected:
                said = " ".join(problem.split(": ", 1)[-1].split())  # as the page shows it
                assert any(said in e for e in errors), (text, errors)
            assert_safe(response, text)
        else:
            assert_safe(response, text, verbatim=False)
        kept = field_value(html, "body_markdown")
        assert kept == as_browser_shows(text).replace("\r", "").strip("\n"), text
    overview.refresh_from_db()
    assert overview.version == 1  # previews never save


@pytest.mark.parametrize("text", sample(HOSTILE, 5), ids=ident)
def test_saved_markdown_and_title_on_the_page_history_and_compare(
    client, editor_client, published, text
):
    before = client.get(ARTICLE_URL).content.decode()
    overview = published.sections.get(key="overview")
    url = f"{SECTIONS}{overview.pk}/change/"
    data = form_data(editor_client.get(url))
    body = text if not expected_refusal(text) else "Plain text instead."
    response = post(
        editor_client,
        url,
        {**data, "title": text or ".", "body_markdown": body, "change_note": text or "."},
    )
    tally.sent("admin: section title", text)
    tally.sent("admin: change note", text)
    if response.status_code == 200:  # a title or note the form refuses: kept, safe
        assert_safe(response, text)
        assert field_value(response.content.decode(), "title") == as_browser_shows(text)
        return
    assert response.status_code == 302, form_errors(response)
    assert_safe(client.get(ARTICLE_URL), text, verbatim=body is not text, baseline=before)
    for page in (
        SECTIONS,
        f"{SECTIONS}?q={text[:40]}",
        url,
        f"{SECTIONS}{overview.pk}/history/",
        f"{SECTIONS}{overview.pk}/history/compare/",
        ARTICLES_ADMIN + f"{published.pk}/change/",
    ):
        response = editor_client.get(page)
        assert response.status_code == 200, page
        assert_safe(response, text, verbatim=body is not text, where=page)


CITATION_TEXT_FIELDS = {
    # field: longest value the model takes
    "title": None,
    "container_title": 300,
    "volume": 40,
    "issue": 40,
    "pages": 40,
    "doi": 200,
    "pmid": 20,
    "url": 500,
    "sample_size": 200,
    "finding": None,
    "verification_note": None,
    "described_as": None,
    "pmcid": 20,
    # The type is a choice (a select): a hostile value is refused like any unknown choice.
    "csl_type": 40,
}


PLAIN = {"title": "A plain title", "authors": "[]", "csl_type": "article-journal"}


def error_fields(response):
    """Names of the fields the admin form marks as refused."""
    from .checks import parse

    found = set()
    for element in parse(response.content).iter():
        classes = (element.get("class") or "").split() if isinstance(element.tag, str) else []
        if "errors" in classes:
            found |= {c.removeprefix("field-") for c in classes if c.startswith("field-")}
    return found


def citation_values(i):
    n = len(EVERYTHING)
    values = {}
    for j, (field, limit) in enumerate(CITATION_TEXT_FIELDS.items()):
        value = EVERYTHING[(i + j) % n]
        values[field] = value[:limit] if limit else value
    family = EVERYTHING[(i + len(values)) % n]
    values["authors"] = json.dumps([{"family": family or "x", "given": values["title"] or "y"}])
    return values


@pytest.mark.slow
def test_every_string_in_every_citation_field(client, editor_client, published):
    """Each string reaches every citation field (one citation per string, the fields
    rotated). Refused values come back as typed; accepted ones are escaped on the
    citation page, in the article's references and in the editors' list."""
    add = ADMIN + "citations/citation/add/"
    blank = form_data(editor_client.get(add))
    keys = []
    for i in range(len(EVERYTHING)):
        values = citation_values(i)
        data = {**blank, **values, "key": f"hostile-{i}", "study_design": "rct"}
        data.update({"verification": "verified", "year": "2020", "change_note": "Added."})
        response = post(editor_client, add, data)
        for field, value in values.items():
            tally.sent(f"admin: citation {field}", value)
        if response.status_code == 200:
            assert_safe(response, *values.values())
            html = response.content.decode()
            for field, value in values.items():
                kept = field_value(html, field)
                if field == "authors":  # shown again as the same JSON, maybe spelled anew
                    assert json.loads(kept) == json.loads(as_browser_shows(value)), kept
                elif field == "csl_type":  # a select: shows its choices, never the value
                    assert kept is None
                    assert value in SourceType.values or "csl_type" in error_fields(response)
                else:
                    assert kept == as_browser_shows(value), (field, value)
            # The refused fields, replaced by something plain: the rest is stored.
            refused = error_fields(response)
            assert refused, form_errors(response)
            data.update({field: PLAIN.get(field, "") for field in refused})
            response = post(editor_client, add, data)
            assert response.status_code == 302, (refused, form_errors(response))
        assert response.status_code == 302
        keys.append(f"hostile-{i}")
    assert Citation.objects.filter(key__in=keys).count() == len(EVERYTHING)

    # One article cites them all: its references show every stored field.
    from tests.articles.factories import article_with

    body = " ".join(f"Claim {n} [@{key}]." for n, key in enumerate(keys))
    article_with({"overview": body}, slug="cites-everything")
    page = client.get("/articles/cites-everything/")
    assert page.status_code == 200
    assert_safe(page, *EVERYTHING)
    for key in keys:
        assert_safe(client.get(f"/citations/{key}/"), *EVERYTHING)
    assert_safe(editor_client.get(CITATIONS_ADMIN), *EVERYTHING)
    for fmt in ("ris", "bib", "json"):
        response = client.get(f"/citations/export/cites-everything.{fmt}")
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        assert "html" not in response["Content-Type"]


@pytest.mark.parametrize(
    "authors",
    [
        r'[{"family": "Smith\u0000"}]',
        r'[{"family": "\ud800"}]',
        r'[{"family": "Tab\u000bbed"}]',
        '[{"family": 7}]',
        '[{"family": ["Smith"]}]',
    ],
)
def test_an_author_name_with_a_control_character_or_not_text_is_refused(
    editor_client, published, authors
):
    """JSON spells a NUL as \u0000, which PostgreSQL cannot store: a form error that
    keeps what was typed, never a 500 (on either database)."""
    add = ADMIN + "citations/citation/add/"
    data = {**form_data(editor_client.get(add)), "key": "odd-author", "title": "T"}
    data.update({"authors": authors, "study_design": "rct", "verification": "verified"})
    response = post(editor_client, add, {**data, "year": "2020", "change_note": "Added."})
    assert response.status_code == 200
    assert form_errors(response) == [
        "Each author's name must be plain text, without invisible control characters "
        "such as \\u0000."
    ]
    assert json.loads(field_value(response.content.decode(), "authors")) == json.loads(authors)
    assert not Citation.objects.filter(key="odd-author").exists()


@pytest.mark.parametrize("text", sample(HOSTILE, 9), ids=ident)
def test_citation_change_form_and_history(editor_client, published, text):
    citation = Citation.objects.get(key="trial2020")
    url = f"{CITATIONS_ADMIN}{citation.pk}/change/"
    data = form_data(editor_client.get(url))
    response = post(
        editor_client, url, {**data, "title": text, "finding": text, "change_note": "x"}
    )
    assert response.status_code == 302, form_errors(response)
    for page in (url, f"{CITATIONS_ADMIN}{citation.pk}/history/compare/", CITATIONS_ADMIN):
        assert_safe(editor_client.get(page), text, where=page)


@pytest.mark.slow
def test_every_string_in_article_fields(client, editor_client, make_user, settings):
    """Each string as an article's title and summary (one article per string, fields
    rotated), published, then the article list, the feed and the editors' list."""
    from people.models import Profile

    settings.REQUIRE_REVIEW_TO_PUBLISH = False
    author = Profile.objects.create(user=make_user("sam"), public_name="Sam Reyes")
    n = len(EVERYTHING)
    add = ARTICLES_ADMIN + "add/?start=blank"  # the article's own fields, no sections
    blank = form_data(editor_client.get(add))
    stored = []
    for i in range(n):
        values = {
            "title": EVERYTHING[i][:200] or "Untitled",
            "summary": EVERYTHING[(i + 1) % n] or ".",
        }
        data = {
            **blank,
            **values,
            "slug": f"hostile-{i}",
            "status": "published",
            "authors": [str(author.pk)],
        }
        response = post(editor_client, add, {**data, "change_note": "New."})
        for field, value in values.items():
            tally.sent(f"admin: article {field}", value)
        if response.status_code == 200:
            assert_safe(response, *values.values())
            html = response.content.decode()
            assert field_value(html, "title") == as_browser_shows(values["title"])
            continue
        assert response.status_code == 302
        stored.append(values)
        if len(stored) % 20 == 0:  # the feed lists the 20 latest
            check_feed(client)
    assert len(stored) > n * 0.9
    check_feed(client)
    assert_safe(client.get("/"), *EVERYTHING)
    assert_safe(editor_client.get(ARTICLES_ADMIN), *EVERYTHING)
    assert client.get("/sitemap.xml").status_code == 200


def check_feed(client):
    response = client.get("/feed/")
    assert response.status_code == 200
    feed = ET.fromstring(response.content)  # well-formed XML
    atom = "{http://www.w3.org/2005/Atom}"
    tags = {element.tag.removeprefix(atom) for element in feed.iter()}
    assert tags <= {
        "feed", "title", "link", "id", "updated", "subtitle", "entry", "published",
        "author", "name", "summary",
    }, tags  # fmt: skip


def test_a_control_character_in_a_title_does_not_break_the_feed(client, published):
    """A vertical tab pasted from a word processor (stored before forms dropped it, or
    imported from content/) once made Django refuse to build the feed: a 500."""
    Article.objects.filter(pk=published.pk).update(
        title="Tab\x0bbed title", summary="Form\x0cfeed\x01"
    )
    check_feed(client)
    assert client.get(ARTICLE_URL).status_code == 200


@pytest.mark.parametrize("text", sample(HOSTILE, 8), ids=ident)
def test_article_page_with_hostile_fields_and_public_change_note(
    client, editor_client, make_user, published, text
):
    """Title, summary, the author's and the reviewer's profiles and a public change note
    on the article page (title, byline, meta tags, JSON-LD, "What changed"), the team page
    and the review page."""
    from people.models import Profile

    author = Profile.objects.create(
        user=make_user("sam"), public_name=text[:120] or ".", role=text[:200], bio=text
    )
    url = f"{ARTICLES_ADMIN}{published.pk}/change/"
    data = form_data(editor_client.get(url))
    values = {"title": text[:200] or ".", "summary": text or "."}
    response = post(
        editor_client,
        url,
        {
            **data,
            **values,
            "authors": [str(author.pk)],
            "change_note": text or ".",
            "public_change": "on",
        },
    )
    tally.sent("admin: article change note (public)", text)
    assert response.status_code == 302, form_errors(response)
    page = client.get(ARTICLE_URL)
    assert_safe(page, text)
    reviewer = make_user("rita", groups=["Reviewers"])
    Profile.objects.create(
        user=reviewer, public_name=text[:120] or ".", role=text[:200], conflicts=text
    )
    from django.test import Client

    reviewing = Client()
    reviewing.force_login(reviewer)
    review_url = f"{ARTICLES_ADMIN}{published.pk}/review/"
    assert_safe(reviewing.get(review_url), text)
    today = datetime.date.today()
    response = post(
        reviewing,
        review_url,
        {
            "checked": "on",
            "next_review_due": (today + datetime.timedelta(days=30)).isoformat(),
            "note": text[:300],
        },
    )
    tally.sent("admin: staff profile (byline, team page)", text)
    tally.sent("admin: review note", text)
    assert response.status_code in (200, 302)
    assert_safe(response, text)
    assert_safe(client.get(ARTICLE_URL), text)
    assert_safe(client.get("/about/"), text)
    assert_safe(editor_client.get(f"{ARTICLES_ADMIN}{published.pk}/history/"), text)
    assert Section.objects.filter(article=published).count() == 2
