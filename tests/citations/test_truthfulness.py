"""Guards on the real content: the page gives no dosing advice, marks every claim that
rests on a study nobody found, and says how it differs from the article it republishes."""

import re

import pytest

from articles.models import Section
from citations.models import Citation, ClaimCitation, StudyDesign, Verification
from tests.articles.helpers import has_class, parse_html, plain_text, text_of

DOSE = re.compile(
    r"\b\d+(\.\d+)?\s*(g|grams?|mg|milligrams?|[µμ]g|mcg|micrograms?)\b", re.IGNORECASE
)
INSTRUCTIONS = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\bstart(ing)? with\b",
        r"\bwait \d+ (hours|days)\b",
        r"\bevery (third|3rd|other|second) day\b",
        r"\b(one|two|three|\d+) times (a|per) (week|day)\b",
        r"\bsource (your |the )?mushrooms\b",
        r"\b(buy|grow|order) (your own |the )?(mushrooms|spores)\b",
        r"\bhow to (obtain|measure|dose)\b",
        r"\byou should (take|try|microdose)\b",
    )
]
# Words a reader might be quoting: kept only inside quotation marks, as reports.
QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")


def section_sentences():
    """Every sentence of the rendered article, notes included, as a reader reads it."""
    for section in Section.objects.order_by("order"):
        text = plain_text(section.body_html)
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            yield section.key, QUOTED.sub("“…”", sentence)


def test_no_sentence_gives_a_dose_schedule_or_source(imported):
    """No amount in grams or milligrams, schedule, or sourcing advice outside quotes."""
    offending = [
        (key, sentence)
        for key, sentence in section_sentences()
        if DOSE.search(sentence) or any(p.search(sentence) for p in INSTRUCTIONS)
    ]
    assert offending == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Start with 0.1 grams and adjust.",
        "Users should take 0.2 g three times a week.",
        "Studies gave 10 µg of LSD.",
        "Some took 15 micrograms.",
        "Wait 48 hours between doses.",
        "You can source mushrooms online.",
        "Microdose every third day.",
    ],
)
def test_the_guards_catch_dosing_advice(sentence):
    """The patterns above would catch the original article's advice."""
    assert DOSE.search(sentence) or any(p.search(sentence) for p in INSTRUCTIONS)


def test_the_original_article_would_fail_the_guard():
    """The dose pattern finds the original article's amounts (the guard can fail)."""
    from tests.articles.test_page import SOURCE

    source = SOURCE.read_text(encoding="utf-8")
    assert DOSE.search(QUOTED.sub("", source))


def test_every_claim_resting_on_a_study_nobody_found_is_marked(imported, article_page):
    """Each marker of a not-located study has class level-not-located and says so aloud;
    personal accounts nobody could find say "not located" too."""
    markers = {a.get("id"): a for a in article_page.iter("a") if has_class(a, "cite-link")}
    rows = ClaimCitation.objects.filter(
        citation__verification=Verification.NOT_LOCATED
    ).select_related("citation")
    not_located = Citation.objects.filter(verification=Verification.NOT_LOCATED)
    assert {row.citation.key for row in rows} == set(not_located.values_list("key", flat=True))
    assert rows.filter(citation__study_design=StudyDesign.UNKNOWN).exists()
    for row in rows:
        marker = markers[row.anchor]
        assert marker.get("aria-label").endswith("not located"), row.anchor
        if row.citation.study_design == StudyDesign.UNKNOWN:
            assert has_class(marker, "level-not-located"), row.anchor
            assert text_of(marker).endswith("not found")
        else:  # e.g. a forum user's account: the kind of source, and that it was not found
            assert has_class(marker, f"level-{row.citation.level.value}")


def test_page_says_how_it_differs_from_its_original(client, imported):
    """The note on where the page comes from links to the original and says how this
    page differs: no amounts, and no reliance on studies nobody could find."""
    tree = parse_html(client.get(imported.get_absolute_url()).content)
    [note] = [
        div
        for div in tree.iter("div")
        if has_class(div, "admonition")
        and any(text_of(p) == "Where this page comes from" for p in div.iter("p"))
    ]
    text = text_of(note)
    assert "left out all amounts" in text and "studies we could not find" in text
    assert [a.get("href") for a in note.iter("a")] == [
        "https://anspore.com/article/can-micro-doses-of-mushrooms-help-you-with-derealization"
    ]
