""" "Did this article help you?": a few answers per address, article and day, no cookie, no
cross-site posts, and a refused answer shown again with what the reader typed."""

import pytest
from django.urls import reverse

from articles.models import Feedback
from tests.articles.factories import article_with
from tests.articles.helpers import parse_html, text_of

pytestmark = pytest.mark.django_db

SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"}


@pytest.fixture
def article():
    return article_with({"overview": "A plain sentence."})


def vote(client, article, ua="Mozilla/5.0 (reader one)", **data):
    return client.post(
        reverse("articles:feedback", args=[article.slug]), data, HTTP_USER_AGENT=ua, **SAME_ORIGIN
    )


def test_yes_is_stored_and_redirects_to_thanks(client, article):
    """303 (so a reload does not post again) to the page with ?feedback=thanks."""
    response = vote(client, article, helpful="yes")
    assert response.status_code == 303
    assert response["Location"] == f"{article.get_absolute_url()}?feedback=thanks#feedback"
    assert not response.cookies
    [row] = Feedback.objects.all()
    assert row.helpful is True and row.article == article

    page = client.get(response["Location"])
    assert "Thank you for telling us." in page.content.decode()


def test_a_second_answer_the_same_day_is_kept_beside_the_first(client, article):
    """The same address may be another person: a second answer never replaces the first
    (see test_feedback_per_address for the limit)."""
    vote(client, article, helpful="yes")
    vote(client, article, helpful="no", reason="Too long.")
    assert sorted(Feedback.objects.values_list("helpful", "reason")) == [
        (False, "Too long."),
        (True, ""),
    ]


def test_votes_from_two_clients_count_twice(client, article):
    """Two answers from two browsers both count (up to the per-address limit)."""
    vote(client, article, helpful="yes", ua="Mozilla/5.0 (reader one)")
    vote(client, article, helpful="yes", ua="Mozilla/5.0 (reader two)")
    assert Feedback.objects.count() == 2


def refused_form(response):
    form = [f for f in parse_html(response.content).iter("form") if "feedback" in f.get("action")]
    return form[0]


def test_no_choice_is_refused_with_a_clear_message(client, article):
    """No yes/no: 400, the message says what to do, the typed reason is kept, nothing stored."""
    response = vote(client, article, reason="I meant to say something.")
    assert response.status_code == 400
    form = refused_form(response)
    assert "Choose yes or no." in text_of(form)
    assert text_of(form.find(".//textarea")) == "I meant to say something."
    assert not Feedback.objects.exists()


def test_too_long_reason_is_refused_and_kept_in_the_textarea(client, article):
    """Over 500 characters: 400 with the limit and the count, the text and choice kept."""
    reason = "word " * 100 + "x"  # 501 characters
    response = vote(client, article, helpful="no", reason=reason)
    assert response.status_code == 400
    form = refused_form(response)
    assert "Please keep it to 500 characters (you wrote 501)." in text_of(form)
    textarea = form.find(".//textarea")
    assert textarea.text == reason
    assert textarea.get("aria-invalid") == "true"
    checked = [i.get("value") for i in form.iter("input") if i.get("checked") is not None]
    assert checked == ["no"]  # the choice is kept too
    assert not Feedback.objects.exists()


def test_cross_site_post_is_forbidden(client, article):
    """A POST whose Origin is another site is refused (no CSRF cookie is used)."""
    response = client.post(
        reverse("articles:feedback", args=[article.slug]),
        {"helpful": "yes"},
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert not Feedback.objects.exists()


def test_cross_site_by_fetch_metadata_is_forbidden(client, article):
    """Sec-Fetch-Site: cross-site is refused even without an Origin header."""
    response = client.post(
        reverse("articles:feedback", args=[article.slug]),
        {"helpful": "yes"},
        HTTP_SEC_FETCH_SITE="cross-site",
    )
    assert response.status_code == 403
    assert not Feedback.objects.exists()


def test_opening_the_address_leads_to_the_question(client, article):
    """Opening the feedback address (a reload, a new tab) is not a blank 405: it
    redirects to the question on the article; nothing is stored."""
    response = client.get(reverse("articles:feedback", args=[article.slug]))
    assert response.status_code == 303
    assert response["Location"] == article.get_absolute_url() + "#feedback"
    assert not Feedback.objects.exists()


def test_refused_answer_shows_its_error_next_to_the_form(client, article):
    """A refused answer gets a short page: the error right beside the form (not the whole
    article with the error 40,000 px below), marked as an error, the answer kept."""
    response = client.post(
        reverse("articles:feedback", args=[article.slug]),
        {"reason": "I wanted more on risks"},
        **SAME_ORIGIN,
    )
    assert response.status_code == 400
    assert response["Cache-Control"] == "private, no-store"
    html = response.content.decode()
    assert len(html) < 20_000
    assert "<h1>Your answer was not sent</h1>" in html
    errors_at = html.index('class="form-errors error-summary" role="alert"')
    assert html.index("Choose yes or no.") - errors_at < 400
    assert errors_at < html.index('name="helpful"')
    assert "I wanted more on risks</textarea>" in html
    assert f'href="{article.get_absolute_url()}"' in html
    assert not Feedback.objects.exists()


def test_feedback_on_an_unknown_article_is_404(client, db):
    """Votes on an article that does not exist (or is a draft) are not stored."""
    response = client.post(
        reverse("articles:feedback", args=["no-such-article"]), {"helpful": "yes"}, **SAME_ORIGIN
    )
    assert response.status_code == 404
