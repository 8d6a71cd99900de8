"""setup_roles gives each group exactly the designed powers, and can run again."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from core.management.commands.setup_roles import ROLES

pytestmark = pytest.mark.django_db


def group_perms(name):
    group = Group.objects.get(name=name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_groups_get_exactly_the_listed_permissions():
    call_command("setup_roles", verbosity=0)
    for name, codenames in ROLES.items():
        assert group_perms(name) == set(codenames)


def test_setup_roles_is_idempotent_and_repairs_drift():
    call_command("setup_roles")
    editors = Group.objects.get(name="Editors")
    editors.permissions.add(*Group.objects.get(name="Moderators").permissions.all())
    call_command("setup_roles")
    call_command("setup_roles")
    assert Group.objects.count() == 3
    assert group_perms("Editors") == set(ROLES["Editors"])


def test_role_powers(make_user):
    editor = make_user("ed", groups=["Editors"])
    moderator = make_user("mo", groups=["Moderators"])
    reviewer = make_user("re", groups=["Reviewers"])

    assert editor.has_perm("articles.change_section")
    assert not editor.has_perm("comments.change_comment")
    assert not editor.has_perm("comments.moderate_comment")

    assert moderator.has_perm("comments.moderate_comment")
    assert moderator.has_perm("articles.view_section")
    assert not moderator.has_perm("articles.change_section")
    assert not moderator.has_perm("articles.change_article")

    assert reviewer.has_perm("articles.review_article")
    assert not reviewer.has_perm("articles.change_article")
    assert not reviewer.has_perm("articles.change_section")
    assert not reviewer.has_perm("comments.change_comment")
