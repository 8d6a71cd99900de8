"""Risk flags: comments about self-harm, doses or sourcing are flagged, with the reason,
and listed first in the moderation queue."""

import pytest

from comments.models import Comment, RiskFlag, Status
from comments.risk import assess

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
