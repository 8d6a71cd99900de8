"""factory_boy factory for outcomes: low certainty (randomised, rated down twice)."""

import factory
from factory.django import DjangoModelFactory

from certainty.models import Outcome
from tests.articles.factories import ArticleFactory


class OutcomeFactory(DjangoModelFactory):
    class Meta:
        model = Outcome

    article = factory.SubFactory(ArticleFactory)
    key = factory.Sequence(lambda n: f"outcome-{n}")
    question = "Does microdosing lift mood more than a placebo?"
    intervention = "microdosing psilocybin"
    outcome = "mood and well-being"
    kind = "benefit"
    direction = "improves"
    comparison = "a placebo"
    population = "healthy adults who chose to microdose"
    studies = 3
    participants = 374
    effect = "little-or-none"
    start = "high"
    down = factory.LazyFunction(
        lambda: [
            {"domain": "indirectness", "levels": 1, "reason": "Healthy volunteers only."},
            {"domain": "imprecision", "levels": 1, "reason": "Few people, short follow-up."},
        ]
    )
    up = factory.LazyFunction(list)
    citation_keys = factory.LazyFunction(list)
