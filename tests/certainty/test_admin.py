"""Editors keep outcomes in the admin (the certainty follows from the ratings and cannot
be typed), reviewers sign them, and editors record per claim and source whether the
source supports the claim."""

import pytest

from certainty.models import Outcome
from citations.models import ClaimSupport
from tests.articles.factories import article_with
from tests.citations.factories import CitationFactory

from .factories import OutcomeFactory

pytestmark = pytest.mark.django_db
ADD = "/admin/certainty/outcome/add/"


def outcome_form(article, **changes):
    data = {
        "article": str(article.pk), "key": "mood", "order": "0",
        "question": "Does it lift mood?", "intervention": "microdosing", "outcome": "mood",
        "kind": "benefit", "direction": "improves", "comparison": "a placebo",
        "population": "healthy adults", "studies": "3", "participants": "300",
        "effect": "little-or-none", "start": "high", "citations": "trial",
        "certainty": "high",  # not a field of the form: ignored
    }  # fmt: skip
    for verb, domains in (
        ("down", ["risk_of_bias", "inconsistency", "indirectness", "imprecision",
                  "publication_bias"]),
        ("up", ["large_effect", "dose_response", "confounding"]),
    ):  # fmt: skip
        for domain in domains:
            data[f"{verb}_{domain}_levels"] = "0"
            data[f"{verb}_{domain}_reason"] = ""
    data.update(changes)
    return data


@pytest.fixture
def article():
    CitationFactory(key="trial")
    return article_with({"overview": "Trials found no benefit for mood [@trial; #mood]."})


def test_an_editor_adds_an_outcome_and_the_certainty_is_computed(client, make_user, article):
    client.force_login(make_user("ed", groups=["Editors"]))
    response = client.post(
        ADD,
        outcome_form(
            article,
            down_imprecision_levels="1",
            down_imprecision_reason="Few people.",
            down_indirectness_levels="1",
            down_indirectness_reason="Healthy volunteers.",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    outcome = Outcome.objects.get()
    assert outcome.certainty == "low"
    assert outcome.down == [
        {"domain": "indirectness", "levels": 1, "reason": "Healthy volunteers."},
        {"domain": "imprecision", "levels": 1, "reason": "Few people."},
    ]
    assert outcome.citation_keys == ["trial"]
    page = client.get(f"/admin/certainty/outcome/{outcome.pk}/change/").content.decode()
    assert "Microdosing may result in little to no difference in mood" in page
    assert "Not signed" in page


def test_a_rating_down_without_a_reason_is_refused(client, make_user, article):
    client.force_login(make_user("ed", groups=["Editors"]))
    response = client.post(ADD, outcome_form(article, down_imprecision_levels="2"))
    assert response.status_code == 200
    assert "Imprecision: say why, in plain words a reader understands." in response.content.decode()
    response = client.post(
        ADD, outcome_form(article, up_large_effect_levels="1", up_large_effect_reason="Big.")
    )
    assert "Only evidence from non-randomised studies" in response.content.decode()
    assert not Outcome.objects.exists()


def test_a_rating_that_would_leave_a_claim_overstating_is_refused(client, make_user):
    CitationFactory(key="trial")
    article = article_with({"overview": "Microdosing probably improves mood [@trial; #mood]."})
    outcome = OutcomeFactory(article=article, key="mood", down=[])  # high: anything goes
    client.force_login(make_user("ed", groups=["Editors"]))
    data = outcome_form(
        article, down_imprecision_levels="2", down_imprecision_reason="Very few people."
    )
    response = client.post(f"/admin/certainty/outcome/{outcome.pk}/change/", data)
    assert response.status_code == 200
    assert (
        "Overview: “Microdosing probably improves mood.” says “improves”, stronger than low "
        "certainty allows"
    ) in response.content.decode()
    assert Outcome.objects.get().certainty == "high"


def test_reviewers_sign_and_editors_see_the_sign_off(client, make_user, article):
    outcome = OutcomeFactory(article=article, key="mood")
    editor = make_user("ed", groups=["Editors"])
    reviewer = make_user("rev", groups=["Reviewers"], first_name="Ada", last_name="Lovelace")
    client.force_login(editor)
    listing = client.get("/admin/certainty/outcome/").content.decode()
    assert "Sign the certainty" not in listing
    client.force_login(reviewer)
    response = client.post(
        "/admin/certainty/outcome/",
        {"action": "sign", "_selected_action": [str(outcome.pk)]},
    )
    assert response.status_code == 302
    outcome.refresh_from_db()
    assert outcome.signed_by == reviewer and outcome.signed_name == "Ada Lovelace"
    client.force_login(editor)
    assert "Signed by Ada Lovelace on" in client.get("/admin/certainty/outcome/").content.decode()
    outcome.participants = 301
    outcome.save()
    assert "; changed since" in client.get("/admin/certainty/outcome/").content.decode()


def test_editors_record_support_per_claim_and_source(client, make_user, article):
    client.force_login(make_user("ed", groups=["Editors"]))
    url = f"/admin/citations/claimsupport/article/{article.pk}/"
    page = client.get(url).content.decode()
    assert "Trials found no benefit for mood." in page
    form = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1"}
    row = page.split('name="form-0-row" value="')[1].split('"')[0]
    response = client.post(url, {**form, "form-0-row": row, "form-0-support": "supports"})
    assert "Say where the source says it" in response.content.decode()
    assert not ClaimSupport.objects.exists()
    response = client.post(
        url,
        {**form, "form-0-row": row, "form-0-support": "supports", "form-0-pinpoint": "Table 2"},
    )
    assert response.status_code == 302
    record = ClaimSupport.objects.get()
    assert (record.support, record.pinpoint, record.checked_by) == ("supports", "Table 2", "ed")
    article.refresh_from_db()
    assert "Supports the claim</span>: Table 2" in article.references_html


def test_the_article_screen_links_to_its_outcomes_and_support_checks(client, make_user, article):
    client.force_login(make_user("ed", groups=["Editors"]))
    page = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert f'href="/admin/citations/claimsupport/article/{article.pk}/"' in page
    assert f'href="/admin/certainty/outcome/?article__id__exact={article.pk}"' in page
    assert (
        client.get(f"/admin/certainty/outcome/?article__id__exact={article.pk}").status_code == 200
    )
