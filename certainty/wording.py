"""What readers are told, generated from the certainty and the size of the effect.

The cells follow GRADE guidance 26 (Santesso et al., J Clin Epidemiol 2020;119:126-135,
table of suggested statements): high certainty states the effect ("reduces"), moderate
says "probably", low says "may", very low says "the evidence is very uncertain"; a small
effect adds "slightly", no important effect reads "little to no difference". Editors
choose the effect's size and direction, never the verb: they cannot type a stronger one.
"""

import re

from django.db import models

from .grading import Certainty


class Effect(models.TextChoices):
    IMPORTANT = "important", "An important effect"
    SMALL = "small", "A small effect"
    LITTLE_OR_NONE = "little-or-none", "Little or no difference"


class Direction(models.TextChoices):
    """The verb of the statement, as "X <verb> Y": third person and base form."""

    REDUCES = "reduces", "reduces"
    INCREASES = "increases", "increases"
    IMPROVES = "improves", "improves"
    WORSENS = "worsens", "worsens"

    @property
    def base(self):
        return self.value[:-1]  # reduces → reduce, increases → increase, improves → improve


HEDGE = {Certainty.HIGH: "", Certainty.MODERATE: "probably ", Certainty.LOW: "may "}


def statement(*, certainty, effect, direction, intervention, outcome, comparison=""):
    """One sentence, e.g. "Microdosing may result in little to no difference in mood
    compared with a placebo."."""
    certainty = Certainty(certainty)
    x, y = intervention.strip(), outcome.strip()
    if certainty == Certainty.NO_STUDIES:
        return f"No study has tested whether {x} changes {y}."
    if certainty == Certainty.VERY_LOW:
        return f"The evidence is very uncertain about the effect of {x} on {y}."
    direction, effect = Direction(direction), Effect(effect)
    hedge = HEDGE[certainty]
    if effect == Effect.LITTLE_OR_NONE:
        verb = "result" if certainty == Certainty.LOW else "results"
        text = f"{x} {hedge}{verb} in little to no difference in {y}"
    else:
        verb = direction.base if certainty == Certainty.LOW else direction.value
        text = f"{x} {hedge}{verb} {y}"
        if effect == Effect.SMALL:
            text += " slightly"
    if comparison.strip():
        text += f" compared with {comparison.strip()}"
    return text[0].upper() + text[1:] + "."


# Claims in the text ---------------------------------------------------------------------

# Verbs that state an effect as fact. Present tense only: "a trial found it reduced …"
# reports one study, which the claim's sources show.
STRONG_WORDS = {
    "reduce", "reduces", "increase", "increases", "improve", "improves", "worsen", "worsens",
    "help", "helps", "work", "works", "treat", "treats", "cure", "cures", "prevent",
    "prevents", "ease", "eases", "relieve", "relieves", "lift", "lifts", "boost", "boosts",
    "cause", "causes", "trigger", "triggers", "protect", "protects", "heal", "heals",
    "restore", "restores",
}  # fmt: skip
STRONG = re.compile(r"\b(?:" + "|".join(sorted(STRONG_WORDS)) + r")\b", re.IGNORECASE)
# The words that may soften a verb at each certainty. "Probably" is GRADE's word for
# moderate certainty: on low-certainty evidence it still overstates.
SOFTENERS = {
    Certainty.MODERATE: ("probably", "likely", "may", "might", "could"),
    Certainty.LOW: ("may", "might", "could"),
    Certainty.VERY_LOW: ("may", "might", "could", "very uncertain"),
    Certainty.NO_STUDIES: ("may", "might", "could", "no study", "not been tested"),
}
WORDING_HINT = {
    Certainty.MODERATE: "“probably”",
    Certainty.LOW: "“may”",
    Certainty.VERY_LOW: "“the evidence is very uncertain”",
    Certainty.NO_STUDIES: "“no study has tested”",
}


def overstated_verb(sentence, certainty):
    """The first verb in the sentence stronger than the certainty allows, or None."""
    certainty = Certainty(certainty)
    if certainty == Certainty.HIGH:
        return None
    for match in STRONG.finditer(sentence):
        word = match.group(0)
        before = sentence[: match.start()].lower()
        if not any(re.search(rf"\b{soft}\b", before) for soft in SOFTENERS[certainty]):
            return word
    return None


def overstatement_message(sentence, certainty, outcome_key):
    verb = overstated_verb(sentence, certainty)
    if verb is None:
        return None
    certainty = Certainty(certainty)
    return (
        f"“{verb}” states more than the evidence for “#{outcome_key}” allows "
        f"({certainty.label.lower()} certainty): write it as GRADE does, with "
        f"{WORDING_HINT[certainty]}."
    )
