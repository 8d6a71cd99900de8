"""The statement readers see comes from the certainty and the effect, cell by cell as in
GRADE guidance 26 (Santesso et al., J Clin Epidemiol 2020;119:126-135), and a claim in the
text cannot use a stronger verb than its outcome's certainty allows."""

import pytest

from certainty.grading import Certainty
from certainty.wording import Direction, Effect, overstated_verb, statement

X, Y = "microdosing psilocybin", "low mood"

CELLS = {
    (Certainty.HIGH, Effect.IMPORTANT): "Microdosing psilocybin reduces low mood.",
    (Certainty.HIGH, Effect.SMALL): "Microdosing psilocybin reduces low mood slightly.",
    (Certainty.HIGH, Effect.LITTLE_OR_NONE):
        "Microdosing psilocybin results in little to no difference in low mood.",
    (Certainty.MODERATE, Effect.IMPORTANT): "Microdosing psilocybin probably reduces low mood.",
    (Certainty.MODERATE, Effect.SMALL):
        "Microdosing psilocybin probably reduces low mood slightly.",
    (Certainty.MODERATE, Effect.LITTLE_OR_NONE):
        "Microdosing psilocybin probably results in little to no difference in low mood.",
    (Certainty.LOW, Effect.IMPORTANT): "Microdosing psilocybin may reduce low mood.",
    (Certainty.LOW, Effect.SMALL): "Microdosing psilocybin may reduce low mood slightly.",
    (Certainty.LOW, Effect.LITTLE_OR_NONE):
        "Microdosing psilocybin may result in little to no difference in low mood.",
}  # fmt: skip


@pytest.mark.parametrize(("certainty", "effect"), list(CELLS))
def test_every_graded_cell(certainty, effect):
    text = statement(
        certainty=certainty, effect=effect, direction=Direction.REDUCES, intervention=X, outcome=Y
    )
    assert text == CELLS[certainty, effect]


@pytest.mark.parametrize("effect", list(Effect))
@pytest.mark.parametrize("direction", list(Direction))
def test_very_low_and_no_studies_say_so_whatever_the_effect(effect, direction):
    common = {"effect": effect, "direction": direction, "intervention": X, "outcome": Y}
    assert statement(certainty=Certainty.VERY_LOW, comparison="a placebo", **common) == (
        "The evidence is very uncertain about the effect of microdosing psilocybin on low mood."
    )
    assert statement(certainty=Certainty.NO_STUDIES, **common) == (
        "No study has tested whether microdosing psilocybin changes low mood."
    )


@pytest.mark.parametrize(
    ("direction", "high", "low"),
    [
        (Direction.INCREASES, "increases", "may increase"),
        (Direction.IMPROVES, "improves", "may improve"),
        (Direction.WORSENS, "worsens", "may worsen"),
    ],
)
def test_every_direction(direction, high, low):
    for certainty, verb in ((Certainty.HIGH, high), (Certainty.LOW, low)):
        text = statement(
            certainty=certainty,
            effect=Effect.IMPORTANT,
            direction=direction,
            intervention="lithium with psilocybin",
            outcome="seizures",
            comparison="psilocybin alone",
        )
        assert text == f"Lithium with psilocybin {verb} seizures compared with psilocybin alone."


@pytest.mark.parametrize(
    ("sentence", "certainty", "verb"),
    [
        ("Microdosing reduces anxiety.", Certainty.LOW, "reduces"),
        ("It helps people with derealization.", Certainty.VERY_LOW, "helps"),
        ("Microdosing improves mood.", Certainty.NO_STUDIES, "improves"),
        ("It works for some people.", Certainty.LOW, "works"),
        ("CBT treats derealization.", Certainty.MODERATE, "treats"),
        # "probably" is moderate's word: on low certainty it still overstates.
        ("Microdosing probably eases symptoms.", Certainty.LOW, "eases"),
        # A softener after the verb does not soften it.
        ("It reduces anxiety, maybe.", Certainty.LOW, "reduces"),
    ],
)
def test_strong_verbs_overstate_uncertain_evidence(sentence, certainty, verb):
    assert overstated_verb(sentence, certainty) == verb


@pytest.mark.parametrize(
    ("sentence", "certainty"),
    [
        ("Microdosing reduces anxiety.", Certainty.HIGH),
        ("Microdosing probably reduces anxiety.", Certainty.MODERATE),
        ("Microdosing may reduce anxiety.", Certainty.LOW),
        ("It might help some people.", Certainty.VERY_LOW),
        ("The evidence is very uncertain whether it helps.", Certainty.VERY_LOW),
        ("No study has tested whether it helps.", Certainty.NO_STUDIES),
        ("Trials found no benefit for mood.", Certainty.LOW),
        ("A trial found that it reduced anxiety.", Certainty.LOW),
    ],
)
def test_words_that_fit_the_certainty_pass(sentence, certainty):
    assert overstated_verb(sentence, certainty) is None
