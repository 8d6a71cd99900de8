"""The team page: who writes and reviews, their credentials and conflicts of interest,
who runs and funds the site, and a contact that works."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from people.models import PLACEHOLDER_NAME, Profile, author_profile
from tests.articles.helpers import parse_html, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(make_user):
    psychiatrist = Profile.objects.create(
        user=make_user("amina", groups=["Reviewers"]),
        public_name="Dr Amina Okafor",
        role="Consultant psychiatrist",
        bio="Twenty years in liaison psychiatry.",
        conflicts="Paid lecture for a CBT training provider in 2025.",
    )
    editor = Profile.objects.create(
        user=make_user("sam", groups=["Editors"]), public_name="Sam Reyes", role="Health editor"
    )
    return psychiatrist, editor


def page(url="/about/"):
    response = Client().get(url)
    assert response.status_code == 200
    return response, parse_html(response.content)


def test_lists_each_profile_with_credentials_and_conflicts(team):
    response, tree = page()
    people = {
        text_of(li.find("h3")): text_of(li) for li in tree.iter("li") if li.find("h3") is not None
    }
    assert set(people) == {"Dr Amina Okafor", "Sam Reyes"}
    assert "Consultant psychiatrist" in people["Dr Amina Okafor"]
    assert "Conflicts of interest: Paid lecture for a CBT" in people["Dr Amina Okafor"]
    assert "Conflicts of interest: None declared" in people["Sam Reyes"]
    assert "amina" not in response.content.decode().replace("Amina", "")  # no login names


def test_placeholder_profiles_are_not_listed(team):
    author_profile("newcomer")
    _, tree = page()
    assert PLACEHOLDER_NAME not in text_of(tree)


def test_owner_funding_and_contact_come_from_settings(settings, team):
    settings.SITE_OWNER = "The Example Health Trust"
    settings.SITE_FUNDING = "A grant from the Example Foundation; no commercial funding."
    settings.CONTACT_EMAIL = "editors@health.example.org"
    response, tree = page()
    text = text_of(tree)
    assert "Evidence Health is run by The Example Health Trust." in text
    assert "Funding: A grant from the Example Foundation" in text
    assert "no advertising" in text
    mailto = [a.get("href") for a in tree.iter("a") if (a.get("href") or "").startswith("mailto:")]
    # The team page's contact section and the footer.
    assert mailto.count("mailto:editors@health.example.org") == 2


def test_without_settings_the_page_says_so_and_how_to_reach_the_editors(settings):
    settings.SITE_OWNER = settings.SITE_FUNDING = settings.CONTACT_EMAIL = ""
    response, tree = page()
    html = response.content.decode()
    assert "localhost" not in html and "mailto:" not in html
    contact = tree.find(".//h2[@id='contact']/../p")
    assert "leave a comment under the article" in text_of(tree)
    assert contact is not None
    assert "have not yet published who runs it" in text_of(tree)
    footer = tree.find(".//footer")
    assert "Contact the editors" in text_of(footer)


@pytest.mark.parametrize("url", ["/", "/privacy/"])
def test_no_page_offers_a_localhost_address(settings, url):
    settings.CONTACT_EMAIL = ""
    assert "localhost" not in Client().get(url).content.decode()


def test_demo_accounts_get_profiles_that_say_they_are_demos(settings):
    settings.DEBUG = True
    call_command("setup_roles", stdout=io.StringIO())
    author_profile("editor")  # content imported before the accounts existed
    call_command("create_demo_accounts", stdout=io.StringIO())
    call_command("create_demo_accounts", stdout=io.StringIO())  # idempotent
    profiles = {p.user.username: p for p in Profile.objects.select_related("user")}
    assert set(profiles) == {"editor", "moderator", "reviewer"}
    assert profiles["editor"].user.is_active and profiles["editor"].user.has_usable_password()
    assert profiles["reviewer"].public_name == "Demo reviewer"
    assert "demo account" in profiles["reviewer"].role


def test_a_staff_member_edits_their_own_profile_only(make_user, team):
    psychiatrist, editor = team
    client = Client()
    client.force_login(editor.user)
    assert client.get(f"/admin/people/profile/{editor.pk}/change/").status_code == 200
    assert client.get(f"/admin/people/profile/{psychiatrist.pk}/change/").status_code in (
        302,
        403,
        404,
    )
    response = client.post(
        f"/admin/people/profile/{editor.pk}/change/",
        {"public_name": "Sam Reyes", "role": "Senior health editor", "conflicts": "None"},
    )
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.role == "Senior health editor" and editor.user.username == "sam"
