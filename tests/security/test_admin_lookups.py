"""The admin's lists take lookups from the query string: none may reach a keyed hash
(a comment's client or text hash, a report's client hash, feedback's visitor) or run a
regular expression (a moderator recovering a hash character by character, or a pattern
that backtracks for minutes on SQLite, where Python's `re` runs inside the query)."""

import time

import pytest
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList

from articles.models import Feedback
from comments.models import Comment, Status
from core.changelist import SafeChangeList

from .conftest import ADMIN

pytestmark = pytest.mark.django_db

COMMENTS = f"{ADMIN}comments/comment/"
FEEDBACK = f"{ADMIN}articles/feedback/"
# Exponential backtracking in Python's re: minutes on a 40-character body.
CATASTROPHIC = "^(a+)+$"


@pytest.fixture
def hashed_comment(published):
    return Comment.objects.create(
        article=published,
        name="Reader",
        body="a" * 40 + "!",
        status=Status.PENDING,
        client_hash="ab" * 32,
        body_hash="cd" * 32,
    )


@pytest.fixture
def vote(published):
    return Feedback.objects.create(article=published, helpful=True, visitor="ef" * 32)


@pytest.mark.parametrize(
    "query",
    [
        "client_hash__regex=^a",
        "client_hash__startswith=a",
        "client_hash=" + "ab" * 32,
        "client_hash__gt=a",
        "body_hash__iregex=^c",
        "body_hash__contains=c",
        "reports__client_hash__startswith=a",
        f"body__regex={CATASTROPHIC}",
        f"body__iregex={CATASTROPHIC}",
        f"name__regex={CATASTROPHIC}",
        "moderation_note__regex=x",
        "email__iregex=@example",
    ],
)
def test_moderator_cannot_look_up_hashes_or_use_regex_on_comments(
    moderator_client, hashed_comment, query
):
    started = time.monotonic()
    response = moderator_client.get(f"{COMMENTS}?{query}")
    assert response.status_code == 400, query
    assert "Reader" not in response.content.decode()
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    "query",
    ["visitor__regex=^e", "visitor__startswith=e", "visitor=" + "ef" * 32, "reason__regex=x"],
)
def test_editor_cannot_look_up_the_feedback_visitor(editor_client, vote, query):
    response = editor_client.get(f"{FEEDBACK}?{query}")
    assert response.status_code == 400, query


def test_the_usual_filters_and_search_still_work(moderator_client, editor_client, hashed_comment):
    for url in (
        f"{COMMENTS}?status__exact=pending",
        f"{COMMENTS}?q=aaaa",
        f"{COMMENTS}?article__id__exact={hashed_comment.article_id}",
    ):
        response = moderator_client.get(url)
        assert response.status_code == 200, url
        assert "aaaa" in response.content.decode(), url
    assert editor_client.get(f"{FEEDBACK}?helpful__exact=1").status_code == 200


HIDDEN = {"client_hash", "body_hash", "visitor", "password"}


def test_no_admin_lists_filters_searches_or_shows_a_hash():
    """Hashes are never list filters, search fields, columns or sort keys in any admin."""
    for model, model_admin in admin.site._registry.items():
        named = [
            *(
                f if isinstance(f, str) else f[0]
                for f in model_admin.list_filter
                if not isinstance(f, type)
            ),
            *(f.lstrip("^=@") for f in model_admin.search_fields),
            *(f for f in model_admin.list_display if isinstance(f, str)),
            *(f.lstrip("-") for f in model_admin.ordering or ()),
        ]
        for name in named:
            assert not set(name.split("__")) & HIDDEN, f"{model.__name__}: {name}"


def test_every_admin_list_follows_the_site_rules(rf, admin_user):
    """Through get_changelist() and lookup_allowed(), on each admin, the site's own and
    the ones it does not write (users, groups, sign-in logs): nothing patched globally."""
    request = rf.get("/")
    request.user = admin_user
    assert admin.site._registry
    for model, model_admin in admin.site._registry.items():
        assert issubclass(model_admin.get_changelist(request), SafeChangeList), model
        assert not model_admin.lookup_allowed("id__regex", "1", request), model
    # Nothing is patched for every admin: a plain Django ModelAdmin keeps Django's rules.
    plain = admin.ModelAdmin(Comment, admin.site)
    assert plain.get_changelist(request) is ChangeList
    assert plain.lookup_allowed("body__regex", "x", request)
