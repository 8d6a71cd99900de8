"""The article page is rendered when it changes, not when it is read (articles.page):
every change readers could see reaches the stored page, a reader's request reads no
section, outcome or citation, and nothing a reader typed is ever part of it."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, ArticleStatus
from articles.reviews import sign_review
from certainty.models import Outcome
from citations.models import Citation
from comments import moderation
from comments.models import Comment
from core.cache import content_version
from people.models import Profile
from tests.articles.helpers import ARTICLE_URL

SIGNED_TIME = re.compile(rb'name="token" value="[^"]*"')


def page(client, url=ARTICLE_URL):
    cache.clear()  # the page cache: read what the next reader would get
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def stored(article):
    return Article.objects.get(pk=article.pk).body_html


def test_the_stored_page_is_the_page_a_live_render_shows(client, imported):
    """Byte for byte: the whole stored page, the page around the stored body and the page
    rendered whole are the same page."""
    assert imported.title in stored(imported) and len(imported.json_ld) == 2
    whole = client.get(ARTICLE_URL).content
    Article.objects.filter(pk=imported.pk).update(reader_page=b"")
    cache.clear()
    from_store = client.get(ARTICLE_URL).content
    Article.objects.filter(pk=imported.pk).update(body_html="", json_ld=[])
    cache.clear()
    live = client.get(ARTICLE_URL).content
    assert SIGNED_TIME.sub(b"", whole) == SIGNED_TIME.sub(b"", from_store)
    assert SIGNED_TIME.sub(b"", from_store) == SIGNED_TIME.sub(b"", live)


def test_a_reader_request_reads_no_section_outcome_or_citation(client, imported):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(ARTICLE_URL).status_code == 200
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    for table in ("articles_section", "certainty_outcome", "citations_", "people_profile"):
        assert table not in sql
    assert len(queries) <= 3  # the article, a page of comments, their editorial replies


def change_title(article):
    article.title = "A corrected title"
    article.save()
    return "A corrected title"


def change_section(article):
    section = article.sections.get(key="overview")
    section.body_markdown += "\n\nA sentence added by an editor."
    section.save()
    return "A sentence added by an editor."


def change_citation(article):
    citation = Citation.objects.filter(claims__section__article=article).first()
    citation.title = "A corrected source title"
    citation.save()
    return "A corrected source title"


def change_outcome(article):
    outcome = article.outcomes.first()
    outcome.question = "A question asked more plainly?"
    outcome.save()
    return "A question asked more plainly?"


def change_author_name(article):
    profile = article.authors.first()
    profile.public_name = "Dr Renamed Author"
    profile.save()
    return "Dr Renamed Author"


def sign_a_review(article, make_user):
    user = make_user("reviewer", groups=["Reviewers"])
    profile = Profile.objects.create(user=user, public_name="Dr Signing Reviewer")
    sign_review(article, profile, datetime.date.today() + datetime.timedelta(days=180))
    return "Medically reviewed by"


@pytest.mark.parametrize(
    "change",
    [change_title, change_section, change_citation, change_outcome, change_author_name],
)
def test_each_change_reaches_the_page(client, imported, change):
    shown = change(Article.objects.get(pk=imported.pk))
    assert shown in page(client)


def test_a_signed_review_and_its_removal_reach_the_byline(client, imported, make_user):
    sign_a_review(imported, make_user)
    assert "Dr Signing Reviewer" in page(client)
    Article.objects.get(pk=imported.pk).reviews.all().delete()
    assert "Dr Signing Reviewer" not in page(client)


def test_a_signed_outcome_reaches_how_sure_are_we(client, imported, make_user):
    before = page(client).count("Not yet checked by a medical reviewer.")
    outcome = Outcome.objects.filter(article=imported, signed_at__isnull=True).first()
    if outcome is None:  # all signed in the content: unsign one to sign it again
        outcome = imported.outcomes.first()
        Outcome.objects.filter(pk=outcome.pk).update(signed_at=None)
        outcome.refresh_from_db()
        Outcome.objects.get(pk=outcome.pk).save()
        before = page(client).count("Not yet checked by a medical reviewer.")
    outcome.sign(make_user("reviewer", groups=["Reviewers"]), "Dr Signing Reviewer")
    assert page(client).count("Not yet checked by a medical reviewer.") == before - 1


def test_the_render_after_commit_stores_the_committed_page_and_retires_copies(
    client, imported, django_capture_on_commit_callbacks
):
    """The second render, once the transaction has committed, is what stays."""
    with django_capture_on_commit_callbacks(execute=True):
        article = Article.objects.get(pk=imported.pk)
        article.title = "Saved and committed"
        article.save()
        # Something inside the same transaction overwrote the stored page.
        Article.objects.filter(pk=imported.pk).update(body_html="<p>Half-way</p>")
        version = content_version()
    assert content_version() != version
    assert "Saved and committed" in stored(imported)
    assert "Half-way" not in page(client)


def test_a_reader_comment_never_enters_the_stored_page(client, imported, make_user):
    """Comments are shown around the stored page, escaped, at each render."""
    before = stored(imported)
    comment = Comment.objects.create(
        article=imported,
        name="<b>Sam</b>",
        body="<script>alert(1)</script> I found the evidence levels useful.",
    )
    moderation.approve([comment], make_user("mod", groups=["Moderators"]))
    html = page(client)
    assert "I found the evidence levels useful." in html
    assert "<script>alert(1)</script>" not in html
    assert stored(imported) == before
    assert "evidence levels useful" not in stored(imported)


def test_staff_see_a_draft_as_it_is_now(client, imported, make_user):
    """A draft is rendered live for the staff who may preview it."""
    Article.objects.filter(pk=imported.pk).update(
        status=ArticleStatus.DRAFT, body_html="<p>An old stored page</p>"
    )
    client.force_login(make_user("draft-editor", groups=["Editors"]))
    html = client.get(ARTICLE_URL).content.decode()
    assert "An old stored page" not in html
    assert imported.title in html and 'id="references"' in html


def test_import_stores_every_article_page(imported):
    for article in Article.objects.all():
        assert article.title in article.body_html
        assert len(article.json_ld) == 2
