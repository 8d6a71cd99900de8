"""manage.py check_content: checks content/ without the database, and counts claims per
evidence level exactly as the page does."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from citations.models import EvidenceLevel
from tests.articles.helpers import CONTENT, SLUG, copy_content, has_class, run, text_of


def report(output):
    """{level value: claims} and (claims, sources, not located) from the command's output."""
    labels = {level.badge: level.value for level in EvidenceLevel}
    levels = {}
    for line in output.splitlines():
        label, _, count = line.strip().rpartition(": ")
        if label in labels:
            levels[labels[label]] = int(count)
    total = re.search(
        r"Total: (\d+) claims citing (\d+) sources, (\d+) of them not located", output
    )
    return levels, tuple(int(n) for n in total.groups())


def test_passes_on_the_real_content_without_a_database():
    """No `db` fixture: the command must not touch the database."""
    output = run("check_content")
    assert "content/ is consistent." in output
    levels, (claims, sources, not_located) = report(output)
    assert sum(levels.values()) == claims > 0
    records = json.loads((CONTENT / "citations.json").read_text(encoding="utf-8"))
    assert sources == len(records)  # every record is cited
    assert not_located == sum(r["custom"]["verification"] == "not-located" for r in records)


def test_counts_match_the_article_after_import(imported, article_page):
    """The command's per-level counts and totals are the article's, and the sum of the
    page's per-section evidence lines."""
    levels, (claims, sources, not_located) = report(run("check_content"))
    assert imported.evidence == {
        "claims": claims,
        "levels": levels,
        "sources": sources,
        "not_located": not_located,
    }

    overview = [p for p in article_page.iter("p") if has_class(p, "evidence-overview")]
    assert text_of(overview[0]).startswith(
        f"This article makes {claims} cited claims, resting on {sources} sources, "
        f"{not_located} of which we could not find."
    )

    # "Evidence: 9 claims — 3 trials, …" under each section heading, summed over sections.
    nouns = {}
    for level in EvidenceLevel:
        for count in (1, 2):
            nouns[level.count_phrase(count).split(" ", 1)[1]] = level.value
    page_levels, page_claims = {}, 0
    lines = [p for p in article_page.iter("p") if has_class(p, "evidence-line")]
    assert len(lines) == imported.sections.count()
    for line in lines:
        text = text_of(line).removeprefix("Evidence: ")
        head, _, parts = text.partition(" — ")
        page_claims += int(head.split()[0])
        for part in parts.split(", "):
            count, noun = part.split(" ", 1)
            page_levels[nouns[noun]] = page_levels.get(nouns[noun], 0) + int(count)
    assert page_claims == claims
    assert page_levels == levels


def break_article(content, old, new):
    path = content / "articles" / f"{SLUG}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(content):
    """Run check_content on a broken copy: it must fail; returns what it printed to stderr."""
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"^1 problem\(s\) in content/"):
        call_command("check_content", dir=str(content), stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def test_fails_on_an_unknown_key(tmp_path):
    """One problem: the typo, not also "never cited" for every key of the article."""
    content = copy_content(tmp_path)
    break_article(content, "[@kuypers2019]", "[@kuypers2O19]")  # cited elsewhere too
    assert "unknown citation key “kuypers2O19”" in problems(content)


def test_fails_on_a_record_never_cited(tmp_path):
    """A record in citations.json that no article cites is a problem."""
    content = copy_content(tmp_path)
    records = json.loads((content / "citations.json").read_text(encoding="utf-8"))
    records.append(
        {
            "id": "orphan2020",
            "type": "article-journal",
            "title": "Nobody cites me",
            "custom": {"study_design": "survey", "verification": "verified"},
        }
    )
    (content / "citations.json").write_text(json.dumps(records), encoding="utf-8")
    assert "“orphan2020” is never cited" in problems(content)


@pytest.mark.parametrize(
    "old, new",
    [
        (
            "We could not find any of these studies, so we do not count them as evidence.",
            "We could not find any of these 4 studies.",
        ),
        # After a marker that follows the full stop, the next sentence is its own.
        (
            "Do not stop an antidepressant without your doctor.",
            "Receptors matter. [@vollenweider1998] Around 40% of people stop one alone.",
        ),
    ],
    ids=["plain sentence", "after a marker placed after the full stop"],
)
def test_fails_on_a_number_without_a_citation(tmp_path, old, new):
    """A sentence stating a number must cite a source."""
    content = copy_content(tmp_path)
    break_article(content, old, new)
    err = problems(content)
    assert "a number without a citation" in err
    uncited = new.split("[@vollenweider1998] ")[-1][:30]
    assert f"“{uncited}" in err


@pytest.mark.parametrize(
    "field, text",
    [
        ("finding", "Participants took 0.5 g of dried mushrooms."),
        ("described_as", "A case taking 0.2 g three times weekly."),
        ("sample_size", "34 people given 10 µg"),
        ("title", "Effects of 25 mg psilocybin"),
        ("finding", "Low doses of LSD (10-20 mcg) had subtle effects."),
        ("described_as", "People took 15 micrograms."),
    ],
)
def test_fails_on_a_drug_amount_in_a_citation_record(tmp_path, field, text):
    """Amounts reach source pages and RIS/BibTeX/CSL exports from the records: refused."""
    content = copy_content(tmp_path)
    path = content / "citations.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    record = records[0]
    if field == "title":
        record["title"] = text
    else:
        record["custom"][field] = text
    path.write_text(json.dumps(records), encoding="utf-8")
    err = problems(content)
    assert f"record “{record['id']}”" in err and "a drug amount" in err


def test_fails_on_a_drug_amount_in_the_article(tmp_path):
    """An amount in the article's text is refused, cited or not."""
    content = copy_content(tmp_path)
    break_article(
        content,
        "Most do not test what they take [@petranker2020].",
        "Most take 0.1 to 0.3 grams [@petranker2020].",
    )
    assert "“0.1 to 0.3 grams” is a drug amount" in problems(content)


def test_research_doses_are_described_without_numbers():
    """The real records pass: research doses are described in words ("a low dose")."""
    from citations.amounts import amounts_in_record

    records = json.loads((CONTENT / "citations.json").read_text(encoding="utf-8"))
    assert [(r["id"], amounts_in_record(r)) for r in records if amounts_in_record(r)] == []
