"""Feedback counts people behind one address fairly: no more answers by changing the
browser's User-Agent, and a second person at the same address and browser adds their
answer instead of replacing the first one's. Up to FEEDBACK_ANSWERS_PER_ADDRESS answers
per address, article and day are kept."""

import pytest
from django.conf import settings

from articles.models import Feedback

from .test_feedback import article, vote  # noqa: F401  (the fixture and the helper)

pytestmark = pytest.mark.django_db


def test_changing_the_user_agent_adds_no_votes(client, article):  # noqa: F811
    limit = settings.FEEDBACK_ANSWERS_PER_ADDRESS
    for n in range(limit + 20):
        assert vote(client, article, ua=f"Mozilla/5.0 (tool {n})", helpful="yes").status_code == 303
    assert Feedback.objects.count() == limit


def test_a_second_reader_at_the_same_address_and_browser_keeps_the_first_answer(
    client,
    article,  # noqa: F811
):
    vote(client, article, helpful="yes", reason="Clear and kind.")
    vote(client, article, helpful="no", reason="Too long for me.")
    answers = sorted(Feedback.objects.values_list("helpful", "reason"))
    assert answers == [(False, "Too long for me."), (True, "Clear and kind.")]


def test_another_address_has_its_own_answers(client, article):  # noqa: F811
    limit = settings.FEEDBACK_ANSWERS_PER_ADDRESS
    for _ in range(limit + 1):
        vote(client, article, helpful="yes")
    client.post(
        f"/articles/{article.slug}/feedback/",
        {"helpful": "no"},
        REMOTE_ADDR="192.0.2.200",
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert Feedback.objects.count() == limit + 1
