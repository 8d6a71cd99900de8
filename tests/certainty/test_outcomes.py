"""An outcome's certainty and statement are computed on save; ratings that do not add up
are refused; a reviewer's signature is kept, and a later change shows as unreviewed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Article
from certainty.models import Outcome, last_reviewed

from .factories import OutcomeFactory

pytestmark = pytest.mark.django_db


def test_certainty_and_statement_are_computed_on_save():
    outcome = OutcomeFactory()
    outcome.refresh_from_db()
    assert outcome.certainty == "low"
    assert outcome.statement == (
        "Microdosing psilocybin may result in little to no difference in mood and well-being "
        "compared with a placebo."
    )
    outcome.down = outcome.down[:1]
    outcome.save()
    assert outcome.certainty == "moderate"
    assert outcome.statement.startswith("Microdosing psilocybin probably results in little")


def test_a_typed_certainty_is_overwritten_by_the_computed_one():
    outcome = OutcomeFactory.build(article=OutcomeFactory().article, key="typed")
    outcome.certainty = "high"
    outcome.save()
    assert Outcome.objects.get(pk=outcome.pk).certainty == "low"


def test_ratings_that_do_not_add_up_are_refused_and_nothing_is_saved():
    article = OutcomeFactory().article
    bad = OutcomeFactory.build(
        article=article,
        key="bad",
        down=[{"domain": "risk-of-bias", "levels": 1, "reason": ""}],
        up=[{"domain": "large-effect", "levels": 1, "reason": "Big."}],
    )
    with pytest.raises(ValidationError) as raised:
        bad.save()
    assert "Risk of bias: say why, in plain words a reader understands." in raised.value.messages
    assert not Outcome.objects.filter(key="bad").exists()


def test_a_change_after_signing_is_a_change_since_review(make_user):
    reviewer = make_user("rev")
    outcome = OutcomeFactory()
    article = outcome.article
    earlier = timezone.now() - datetime.timedelta(days=1)
    Article.objects.filter(pk=article.pk).update(content_changed=earlier)
    outcome.sign(reviewer, "Dr Rev")
    outcome = Outcome.objects.get(pk=outcome.pk)
    assert outcome.signed and not outcome.changed_since_signed
    assert last_reviewed([outcome]) == outcome.signed_at
    article.refresh_from_db()
    assert article.content_changed == earlier  # a signature changes no content

    outcome.save()  # nothing changed: still signed as it is
    assert not Outcome.objects.get(pk=outcome.pk).changed_since_signed
    article.refresh_from_db()
    assert article.content_changed == earlier

    outcome.participants = 400
    outcome.save()
    outcome = Outcome.objects.get(pk=outcome.pk)
    assert outcome.changed_since_signed
    assert last_reviewed([outcome]) is None
    article.refresh_from_db()
    # The article's content changed: after its last review, it shows as changed since.
    assert article.content_changed > outcome.signed_at
