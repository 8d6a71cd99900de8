"""factory_boy factories for citation records."""

import factory
from factory.django import DjangoModelFactory

from citations.models import Citation, StudyDesign, Verification


class CitationFactory(DjangoModelFactory):
    """A verified randomised trial unless told otherwise (trait not_located=True)."""

    class Meta:
        model = Citation
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"study{n}")
    title = factory.Sequence(lambda n: f"A trial of something, number {n}")
    authors = factory.LazyFunction(lambda: [{"family": "Smith", "given": "Jane"}])
    container_title = "Journal of Tests"
    year = 2020
    volume = "12"
    issue = "3"
    pages = "45-67"
    doi = factory.Sequence(lambda n: f"10.1000/test.{n}")
    study_design = StudyDesign.RCT
    verification = Verification.VERIFIED
    sample_size = "40 adults"
    finding = "No difference from placebo."

    class Params:
        not_located = factory.Trait(
            title="",
            authors=[],
            container_title="",
            year=None,
            volume="",
            issue="",
            pages="",
            doi="",
            study_design=StudyDesign.UNKNOWN,
            verification=Verification.NOT_LOCATED,
            sample_size="",
            finding="",
            verification_note="No publication matching this description was found.",
            described_as="A 2021 survey in an unnamed journal in which most people felt better.",
        )
