"""Two moderators on one comment: a decision based on an outdated view is refused, with
the other moderator's decision shown, never applied over it (a comment just rejected
must not go public because someone saves a form opened earlier)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from comments import moderation
from comments.models import Comment, Status

from .test_admin import CHANGELIST, change_url, save_change

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(article):
    return Comment.objects.create(article=article, name="Reader", body="Pending words.")


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def two_moderators(make_user):
    alice = make_user("alice", groups=["Moderators"])
    bob = make_user("bob", groups=["Moderators"])
    clients = []
    for user in (alice, bob):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return alice, bob, *clients


def opened_version(html):
    return re.search(r'name="opened_version" value="(\d+)"', html).group(1)


def test_a_stale_change_form_is_refused_with_the_other_decision(two_moderators, pending):
    alice, bob, alice_client, bob_client = two_moderators
    form = alice_client.get(change_url(pending)).content.decode()
    version = opened_version(form)

    moderation.reject(Comment.objects.filter(pk=pending.pk), bob, "Off topic.")

    response = save_change(
        alice_client,
        pending,
        {"status": "approved", "moderation_note": "", "opened_version": version},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert "bob" in html and "rejected" in html and "Off topic." in html
    pending.refresh_from_db()
    assert pending.status == Status.REJECTED
    assert pending.moderated_by == bob

    # Having seen it, Alice may still decide: the form now carries the current version.
    again = save_change(
        alice_client,
        pending,
        {"status": "approved", "moderation_note": "", "opened_version": opened_version(html)},
    )
    assert again.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Status.APPROVED and pending.moderated_by == alice


def test_a_change_form_without_its_version_is_refused(mod_client, pending):
    data = {"status": "approved", "moderation_note": "", "opened_version": ""}
    response = save_change(mod_client, pending, data)
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


def test_a_stale_bulk_action_changes_nothing_and_says_why(two_moderators, pending, article):
    alice, bob, alice_client, bob_client = two_moderators
    other = Comment.objects.create(article=article, name="Other", body="Other words.")
    listing = alice_client.get(reverse(CHANGELIST) + "?status__exact=pending").content.decode()
    versions = dict(re.findall(r'name="version-(\d+)" value="(\d+)"', listing))
    assert set(versions) == {str(pending.pk), str(other.pk)}

    moderation.reject(Comment.objects.filter(pk=pending.pk), bob, "Off topic.")

    response = alice_client.post(
        reverse(CHANGELIST) + "?status__exact=pending",
        {
            "action": "approve",
            "_selected_action": [pending.pk, other.pk],
            "index": 0,
            **{f"version-{pk}": version for pk, version in versions.items()},
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Nothing was changed" in html
    assert "bob" in html and "rejected" in html
    pending.refresh_from_db()
    other.refresh_from_db()
    assert pending.status == Status.REJECTED
    assert other.status == Status.PENDING


def test_a_current_bulk_action_goes_through(mod_client, pending):
    listing = mod_client.get(reverse(CHANGELIST)).content.decode()
    versions = dict(re.findall(r'name="version-(\d+)" value="(\d+)"', listing))
    mod_client.post(
        reverse(CHANGELIST),
        {
            "action": "approve",
            "_selected_action": [pending.pk],
            "index": 0,
            **{f"version-{pk}": version for pk, version in versions.items()},
        },
    )
    pending.refresh_from_db()
    assert pending.status == Status.APPROVED


def test_every_decision_moves_the_version(article, moderator, settings):
    comment = Comment.objects.create(article=article, name="R", body="Words.")
    seen = [comment.version]

    def now():
        comment.refresh_from_db()
        seen.append(comment.version)

    moderation.approve([comment], moderator)
    now()
    settings.COMMENT_REPORTS_TO_REQUEUE = 1
    moderation.report(comment.pk, "client-a")
    now()
    assert comment.status == Status.PENDING
    moderation.erase([comment], moderator)
    now()
    assert seen == sorted(set(seen)), seen
