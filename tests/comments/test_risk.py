"""Risk flags: comments about self-harm, doses or sourcing are flagged, with the reason,
and listed first in the moderation queue."""

import pytest

from comments.folding import fold, fold_words
from comments.models import Comment, RiskFlag, Status
from comments.risk import assess

from .risk_samples import EVERYDAY, LEXICON_SCORE, WARNING_SIGNS

SELF_HARM = "Some days I think about suicide, honestly."
BUYING = "Does anyone know where to buy truffles in Berlin?"
DOSE = "I took 0.2g every third day and it helped."


@pytest.mark.parametrize(
    "text",
    [
        SELF_HARM,
        "I feel suicidal when the unreality gets bad",
        "sometimes I want to end it all",
        "I don't want to be alive like this",
        "I've been self-harming again",
        "I keep thinking I should kill myself",
        "I’d be better off dead",  # a typographic apostrophe
        "SUICIDE",
        "I sometimes think everyone would be better off without me",
        "Thinking about how to unalive myself",
        "kms",
    ],
)
def test_self_harm_flagged(text):
    """Mentions of self-harm or suicide raise the self-harm flag."""
    assert RiskFlag.SELF_HARM in assess(text).flags


@pytest.mark.parametrize(
    "text",
    [
        DOSE,
        "200mg of what exactly?",
        "about 0,5 g",
        "half a gram is what I used",
        "a gram is too much",
        "I measured it in micrograms",
        "two tabs",
        "10 µg",
        "how much should I take?",
        "Can you overdose on mushrooms?",
    ],
)
def test_dose_amounts_flagged(text):
    """Dose amounts (a number with a unit, "a gram", micrograms, tabs) raise the dosing flag."""
    assert RiskFlag.DOSING in assess(text).flags


@pytest.mark.parametrize(
    "text",
    [
        BUYING,
        "which vendor do you trust",
        "I got mine on the dark web",
        "you can order them online",
        "spores are legal here",
        "a grow kit works",
        "where can I get some",
        "grow your own",
    ],
)
def test_sourcing_flagged(text):
    """Buying and sourcing words raise the sourcing flag."""
    assert RiskFlag.SOURCING in assess(text).flags


@pytest.mark.parametrize(
    "text",
    [
        "This article helped me understand my derealization.",
        "I tried microdosing for 3 weeks and felt nothing.",
        "The 2019 study had 98 participants.",
        "My therapist suggested grounding exercises.",
        "I don't buy the placebo explanation.",
    ],
)
def test_ordinary_comments_not_flagged(text):
    """Ordinary comments, numbers without a unit included, raise no flag."""
    assert assess(text).flags == []


def test_labelled_set_meets_the_targets(record_property):
    """At least 90% of the warning signs raise the self-harm flag, and at most one in 15
    everyday comments (idioms included) does. tests/comments/conftest.py prints the
    numbers at the end of the run."""
    assert len(WARNING_SIGNS) >= 60 and len(EVERYDAY) >= 40
    missed = [text for text in WARNING_SIGNS if not assess(text).self_harm]
    alarms = [text for text in EVERYDAY if assess(text).self_harm]
    recall = 1 - len(missed) / len(WARNING_SIGNS)
    false_alarm_rate = len(alarms) / len(EVERYDAY)
    score = {
        "recall": recall,
        "flagged": len(WARNING_SIGNS) - len(missed),
        "signs": len(WARNING_SIGNS),
        "alarms": len(alarms),
        "everyday": len(EVERYDAY),
        "missed": missed,
        "false_alarms": alarms,
    }
    # Carried to the controller with the test's report (so printed under xdist too).
    record_property(LEXICON_SCORE, score)
    assert recall >= 0.9, missed
    assert false_alarm_rate <= 1 / 15, alarms


@pytest.mark.parametrize(
    "text",
    [
        "I'm dying to know what the next trial finds.",
        "This page was a lifesaver.",
        "The burden of proof is on them.",
        "I could kill for a coffee.",
    ],
)
def test_idioms_raise_no_flag(text):
    """The idioms named in the brief stay unflagged."""
    assert not assess(text).self_harm


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("I'm not suicidal, just curious about the research.", False),
        ("I no longer feel like a burden since starting therapy.", False),
        ("I never wanted to die, I just wanted to feel real.", False),
        ("I don't want to be a burden any more.", True),
        ("I'm not sure I want to live like this", True),
    ],
)
def test_negation_right_before_a_warning_sign(text, flagged):
    """ "not", "never" or "no longer" just before a warning sign cancels it; a negation
    that is part of the sign ("don't want to be a burden") does not."""
    assert assess(text).self_harm is flagged


@pytest.mark.parametrize(
    "text",
    [
        "I want to ｋｉｌｌ myself",  # fullwidth
        "I want to k\u200bill myself",  # zero-width space
        "suïcidal",  # an accent
        "ѕuicidal",  # a Cyrillic s
        "su1c1dal",
        "k.m.s",
        "k m s",
        "I want to k*ll myself",
        "I wanna diiie",
        "I CAN\u2019T TAKE IT ANYMORE",
    ],
)
def test_disguised_spellings_are_folded(text):
    """Fullwidth letters, invisible characters, accents, look-alikes, digits for letters,
    spaced-out letters, asterisks, stretched letters and capitals all fold to the word."""
    assert assess(text).self_harm, fold_words(text)


def test_folding_keeps_numbers_and_punctuation():
    """Digits and punctuation at a word's edge stay: doses and URLs still read right."""
    assert fold_words("200mg, kms!") == "200mg, kms!"
    assert fold("Ｄｏｓｅ\u00ad 0,5 g") == "dose 0,5 g"


def test_reasons_name_the_flag_and_the_words():
    """The reason shown to moderators says what the flag is and which words raised it."""
    reasons = assess("I bought 2 tabs and felt suicidal").reasons()
    assert reasons == [
        "Mentions self-harm or suicide ('suicidal')",
        "Mentions dose amounts ('2 tabs')",
    ]


def test_weights_put_self_harm_before_any_other_combination():
    """Self-harm alone outranks dosing and sourcing together; dosing outranks sourcing."""
    assert assess(SELF_HARM).weight > assess(DOSE + " " + BUYING).weight
    assert assess(DOSE).weight > assess(BUYING).weight > assess("hello").weight == 0


@pytest.mark.django_db
def test_risky_comments_land_flagged_and_first_in_the_queue(article, post_comment):
    """Posted through the form, a self-harm, a buying and a dose comment each land pending
    and flagged; the queue lists them first (self-harm, dose, sourcing), then the rest
    oldest first."""
    post_comment(article, body="A plain comment, posted first.", ua="r0")
    post_comment(article, body=BUYING, ua="r1")
    post_comment(article, body=DOSE, ua="r2")
    post_comment(article, body=SELF_HARM, ua="r3")
    post_comment(article, body="Another plain comment.", ua="r4")

    queue = list(Comment.objects.pending())
    assert [c.body for c in queue] == [
        SELF_HARM,
        DOSE,
        BUYING,
        "A plain comment, posted first.",
        "Another plain comment.",
    ]
    assert [c.risk_flags for c in queue[:3]] == [["self-harm"], ["dosing"], ["sourcing"]]
    assert all(c.status == Status.PENDING for c in queue)
