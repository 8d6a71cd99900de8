"""Fixtures for the editors' admin tests (the real article is `imported`, from
tests/conftest.py): a logged-in client per role, and a reader of admin forms that posts
back what a browser would."""

import pytest
from django.test import Client

from articles.models import Article
from tests.support.admin import (  # noqa: F401 (the editors' tests import them from here)
    admin_form,
    change_url,
    form_data,
    form_errors,
    history_url,
    post,
    post_change,
    textarea,
)
from tests.support.content import ARTICLE_URL, SLUG  # noqa: F401
from tests.support.html import parse_html as parse  # noqa: F401
from tests.support.html import text_of  # noqa: F401


@pytest.fixture
def overview(imported):
    return imported.sections.get(key="overview")


@pytest.fixture
def editor(make_user):
    return make_user("edith", groups=["Editors"], first_name="Edith", last_name="Editor")


@pytest.fixture
def reviewer(make_user):
    """A reviewer with a staff profile (a reviewer signs as their profile)."""
    from people.models import Profile

    user = make_user("rita", groups=["Reviewers"], first_name="Rita", last_name="Reviewer")
    Profile.objects.create(user=user, public_name="Dr Rita Okafor", role="Consultant psychiatrist")
    return user


@pytest.fixture
def moderator(make_user):
    return make_user("morgan", groups=["Moderators"])


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(editor):
    return logged_in(editor)


@pytest.fixture
def reviewer_client(reviewer):
    return logged_in(reviewer)


@pytest.fixture
def moderator_client(moderator):
    return logged_in(moderator)


@pytest.fixture
def reader():
    """An anonymous reader: no session cookie, so pages may come from the page cache."""
    return Client()


def snapshot(imported):
    """Everything an editor's save could change, to prove that nothing did."""
    from citations.models import ClaimCitation

    imported.refresh_from_db()
    sections = list(
        imported.sections.order_by("pk").values_list(
            "pk", "key", "title", "order", "body_markdown", "body_html", "version"
        )
    )
    return {
        "article": (imported.title, imported.summary, imported.version, imported.content_changed),
        "sections": sections,
        "section_history": imported.sections.model.history.count(),
        "article_history": Article.history.count(),
        "claims": list(
            ClaimCitation.objects.filter(section__article=imported)
            .order_by("pk")
            .values_list("citation__key", "sentence")
        ),
    }
