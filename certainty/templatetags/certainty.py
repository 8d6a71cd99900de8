from django import template

from certainty.grading import Certainty, DownDomain, Start, UpDomain

register = template.Library()

FILLED, EMPTY = "⊕", "◯"  # the symbols of Cochrane's summary-of-findings tables


@register.filter
def certainty_scale(certainty):
    """Four steps by shape, not colour: ⊕⊕◯◯ for low."""
    steps = Certainty(certainty).steps
    return FILLED * steps + EMPTY * (4 - steps)


@register.filter
def certainty_steps(certainty):
    return Certainty(certainty).steps


@register.filter
def studies_and_people(outcome):
    """ "3 studies, 374 people", with "not reported" where a number is missing."""
    if outcome.studies == 0:
        return "No studies"
    if outcome.studies is None:
        studies = "Number of studies not reported"
    else:
        studies = f"{outcome.studies} stud{'y' if outcome.studies == 1 else 'ies'}"
    if outcome.participants is None:
        people = "number of people not reported"
    else:
        people = f"{outcome.participants:,} {'person' if outcome.participants == 1 else 'people'}"
    return f"{studies}, {people}"


def step(levels):
    word = "up" if levels > 0 else "down"
    return f"{word} {abs(levels)} level{'s' if abs(levels) > 1 else ''}"


@register.filter
def why_summary(certainty):
    if certainty == Certainty.HIGH:
        return "Why this sure?"
    return "Why?" if certainty == Certainty.NO_STUDIES else "Why not surer?"


@register.filter
def why_not_surer(outcome):
    """What lowered (or raised) the certainty, in plain words, one item each."""
    certainty = Certainty(outcome.certainty)
    if certainty == Certainty.NO_STUDIES:
        return ["No study has looked at this question."]
    items = []
    if outcome.start == Start.LOW:
        items.append(
            "The studies were not randomised trials, so the answer starts at low certainty."
        )
    for reason in outcome.down:
        levels = reason["levels"]
        domain = DownDomain(reason["domain"])
        items.append(
            f"{domain.plain} ({domain.label.lower()}, {step(-levels)}): {reason['reason']}"
        )
    for reason in outcome.up:
        levels = reason["levels"]
        domain = UpDomain(reason["domain"])
        items.append(f"{domain.plain} ({domain.label.lower()}, {step(levels)}): {reason['reason']}")
    if not items:
        items.append("Randomised trials with no serious problems: nothing lowered it.")
    return items
