"""Authors are typed as people write them and stored as CSL names; the form shows them
back in the same human form, and what is shown reads back as exactly what was stored."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citations.names import AuthorsError, format_authors, parse_authors

HUNTER = {"family": "Hunter", "given": "E. C. M."}
SIERRA = {"family": "Sierra", "given": "M."}
DAVID = {"family": "David", "given": "A. S."}


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("Hunter ECM, Sierra M, David AS", [HUNTER, SIERRA, DAVID]),
        ("Hunter ECM, Sierra M, David AS.", [HUNTER, SIERRA, DAVID]),
        ("Hunter E.C.M., Sierra M., David A.S.", [HUNTER, SIERRA, DAVID]),
        ("Hunter ECM\nSierra M\nDavid AS", [HUNTER, SIERRA, DAVID]),
        ("Hunter ECM; Sierra M; David AS", [HUNTER, SIERRA, DAVID]),
        ("Hunter ECM, Sierra M and David AS", [HUNTER, SIERRA, DAVID]),
        ("Hunter, E. C. M., Sierra, M., & David, A. S.", [HUNTER, SIERRA, DAVID]),
        ("Hunter, ECM", [HUNTER]),
        ("Ellen C. M. Hunter", [{"family": "Hunter", "given": "Ellen C. M."}]),
        ("Hunter, Ellen", [{"family": "Hunter", "given": "Ellen"}]),
        (
            "Ellen C. M. Hunter\nHunter, Ellen",
            [{"family": "Hunter", "given": "Ellen C. M."}, {"family": "Hunter", "given": "Ellen"}],
        ),
        (
            "Ellen Hunter, Mauricio Sierra and Anthony David",
            [
                {"family": "Hunter", "given": "Ellen"},
                {"family": "Sierra", "given": "Mauricio"},
                {"family": "David", "given": "Anthony"},
            ],
        ),
        ("Michiel van Elk", [{"family": "van Elk", "given": "Michiel"}]),
        ("van Elk, Michiel", [{"family": "van Elk", "given": "Michiel"}]),
        ("de la Fuente LA", [{"family": "de la Fuente", "given": "L. A."}]),
        (
            "Soltanzadeh Zarandi, Sina\nde la Fuente, Laura",
            [
                {"family": "Soltanzadeh Zarandi", "given": "Sina"},
                {"family": "de la Fuente", "given": "Laura"},
            ],
        ),
        ("Sartre J-P", [{"family": "Sartre", "given": "J.-P."}]),
        ("Müller-Lüdenscheidt Ö", [{"family": "Müller-Lüdenscheidt", "given": "Ö."}]),
        ("World Health Organization", [{"literal": "World Health Organization"}]),
        (
            "National Institute for Health and Care Excellence",
            [{"literal": "National Institute for Health and Care Excellence"}],
        ),
        ("{Cochrane}", [{"literal": "Cochrane"}]),
        ("Hunter ECM\n{Cochrane}", [HUNTER, {"literal": "Cochrane"}]),
        ('[{"family": "Szigeti", "given": "Balázs"}]', [{"family": "Szigeti", "given": "Balázs"}]),
        ("", []),
        ("  \n ", []),
    ],
)
def test_authors_as_people_write_them(typed, stored):
    assert parse_authors(typed) == stored


@pytest.mark.parametrize(
    "stored, shown",
    [
        ([HUNTER, SIERRA, DAVID], "Hunter ECM, Sierra M, David AS"),
        (
            [{"family": "Hunter", "given": "Ellen C. M."}, SIERRA],
            "Hunter, Ellen C. M.\nSierra, M.",
        ),
        ([{"literal": "World Health Organization"}], "World Health Organization"),
        ([{"literal": "Cochrane"}], "{Cochrane}"),
        ([{"family": "Soltanzadeh Zarandi", "given": "Sina"}], "Soltanzadeh Zarandi, Sina;"),
        ([], ""),
    ],
)
def test_stored_names_are_shown_in_the_human_form(stored, shown):
    assert format_authors(stored) == shown
    assert parse_authors(shown) == stored


@pytest.mark.parametrize(
    "typed, problem",
    [
        ("Hunter ECM, et al", "et al"),
        ("Hunter ECM, Sierra M, et al.", "et al"),
        ("et al", "et al"),
        (",,,;;;", "format"),
        ('[{"family": 7}]', "control"),
        ('[{"family": "x", "middle": "y"}]', "format"),
        ('[{"family": "Smith\\u0000"}]', "control"),
        ("Smith\x0bJ", "control"),
        ("\n".join(f"Author{n} A" for n in range(1001)), "too many"),
    ],
)
def test_what_cannot_be_names_is_refused(typed, problem):
    with pytest.raises(AuthorsError, match=problem):
        parse_authors(typed)


def test_json_that_does_not_parse_raises_value_error():
    with pytest.raises(ValueError):
        parse_authors('[{"family": "Smith"')


def test_hostile_text_is_kept_as_a_name_not_interpreted():
    """Markup is a (strange) name: the pages escape it; nothing here runs or drops it."""
    [name] = parse_authors("<script>alert(1)</script>")
    assert name == {"family": "<script>alert(1)</script>"}


def test_the_flagship_sources_read_back_from_their_human_form():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    items = json.loads((root / "content" / "citations.json").read_text())
    for item in items:
        authors = item.get("author", [])
        shown = format_authors(authors)
        assert not shown.startswith("["), item["id"]
        assert parse_authors(shown) == authors, item["id"]


name_text = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=["Cc", "Cs"], blacklist_characters="\u2028\u2029"
        ),
        min_size=1,
        max_size=20,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)
csl_name = st.one_of(
    st.fixed_dictionaries({"family": name_text, "given": name_text}),
    st.fixed_dictionaries({"family": name_text}),
    st.fixed_dictionaries({"literal": name_text}),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(csl_name, max_size=6))
def test_whatever_is_stored_reads_back_from_what_the_form_shows(authors):
    """The form never shows authors in a way that would save as something else."""
    assert parse_authors(format_authors(authors)) == authors


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_typed_text_gives_names_or_a_refusal(text):
    try:
        authors = parse_authors(text)
    except (AuthorsError, ValueError, RecursionError):
        return
    assert all(isinstance(a, dict) and a for a in authors)
    assert all(isinstance(v, str) and v for a in authors for v in a.values())
