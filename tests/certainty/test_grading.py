"""The certainty of an outcome follows from its ratings on every path, and ratings that do
not add up are refused (GRADE: randomised evidence starts high, other designs low; each
reason takes one or two levels off; only non-randomised evidence is rated up)."""

from hypothesis import given
from hypothesis import strategies as st

from certainty.grading import (
    REASON_LIMIT,
    Certainty,
    DownDomain,
    Start,
    UpDomain,
    compute,
    problems,
)

ORDER = [Certainty.VERY_LOW, Certainty.LOW, Certainty.MODERATE, Certainty.HIGH]


def reasons(domains):
    """Distinct domains, each with 1 or 2 levels and a plain reason."""
    return st.lists(st.sampled_from(list(domains)), unique=True).flatmap(
        lambda chosen: st.tuples(*[st.sampled_from([1, 2]) for _ in chosen]).map(
            lambda levels: [
                {"domain": d.value, "levels": n, "reason": "Few people, short follow-up."}
                for d, n in zip(chosen, levels, strict=True)
            ]
        )
    )


studies = st.one_of(st.none(), st.integers(min_value=1, max_value=500))


@given(down=reasons(DownDomain), studies=studies)
def test_randomised_evidence_starts_high_and_each_level_down_costs_one_step(down, studies):
    assert problems(Start.HIGH, down, [], studies) == []
    taken = sum(r["levels"] for r in down)
    assert compute(Start.HIGH, down, [], studies) == ORDER[max(0, 3 - taken)]


@given(down=reasons(DownDomain), up=reasons(UpDomain), studies=studies)
def test_other_designs_start_low_and_rate_up_until_high(down, up, studies):
    score = 1 - sum(r["levels"] for r in down) + sum(r["levels"] for r in up)
    found = problems(Start.LOW, down, up, studies)
    if score > 3:
        assert any("above high" in p for p in found)
    else:
        assert found == []
        assert compute(Start.LOW, down, up, studies) == ORDER[max(0, score)]


@given(down=reasons(DownDomain), extra=st.sampled_from(list(DownDomain)), studies=studies)
def test_another_reason_to_doubt_never_raises_certainty(down, extra, studies):
    before = compute(Start.HIGH, down, [], studies)
    more = [r for r in down if r["domain"] != extra.value] + [
        {"domain": extra.value, "levels": 2, "reason": "Results disagree."}
    ]
    after = compute(Start.HIGH, more, [], studies)
    assert after.steps <= before.steps


@given(start=st.sampled_from(list(Start)))
def test_no_studies_is_its_own_answer(start):
    assert compute(start, [], [], 0) == Certainty.NO_STUDIES
    assert Certainty.NO_STUDIES.steps == 0


@given(up=reasons(UpDomain).filter(bool), studies=studies)
def test_randomised_evidence_is_never_rated_up(up, studies):
    assert any("non-randomised" in p for p in problems(Start.HIGH, [], up, studies))


@given(down=reasons(DownDomain).filter(bool))
def test_nothing_to_rate_without_studies(down):
    assert any("no studies" in p for p in problems(Start.HIGH, down, [], 0))


def test_a_rating_down_without_a_reason_is_refused():
    for text in ("", "   ", None):
        down = [{"domain": "imprecision", "levels": 1, "reason": text}]
        found = problems(Start.HIGH, down, [], 3)
        assert found == ["Imprecision: say why, in plain words a reader understands."]


def test_a_reason_over_200_characters_is_refused():
    long = "x" * (REASON_LIMIT + 1)
    found = problems(Start.HIGH, [{"domain": "imprecision", "levels": 1, "reason": long}], [], 3)
    assert found == [f"Imprecision: the reason has 201 characters; keep it to {REASON_LIMIT}."]
    ok = [{"domain": "imprecision", "levels": 1, "reason": "x" * REASON_LIMIT}]
    assert problems(Start.HIGH, ok, [], 3) == []


def test_levels_are_one_or_two_and_each_domain_counts_once():
    twice = [
        {"domain": "imprecision", "levels": 1, "reason": "Few people."},
        {"domain": "imprecision", "levels": 1, "reason": "Short."},
    ]
    assert any("given twice" in p for p in problems(Start.HIGH, twice, [], 3))
    for levels in (0, 3, -1, "1", 1.5, None, True):
        bad = [{"domain": "imprecision", "levels": levels, "reason": "Few people."}]
        assert any("by 1 or 2 levels" in p for p in problems(Start.HIGH, bad, [], 3))


def test_unknown_domains_and_a_swapped_direction_are_refused():
    up_as_down = [{"domain": "large-effect", "levels": 1, "reason": "Big."}]
    assert any("not a reason for rating down" in p for p in problems(Start.LOW, up_as_down, [], 2))
    down_as_up = [{"domain": "imprecision", "levels": 1, "reason": "Few."}]
    assert any("not a reason for rating up" in p for p in problems(Start.LOW, [], down_as_up, 2))
    found = problems("medium", [], [], 2)
    assert found == ["The starting level must be high or low, not “medium”."]
    assert problems(Start.HIGH, "imprecision", [], 2) == ["Rating down must be a list of reasons."]


def test_the_scale_has_four_steps_and_no_studies_none():
    assert [c.steps for c in ORDER] == [1, 2, 3, 4]
