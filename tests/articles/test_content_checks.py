"""The checks of an article file that check_content runs (articles/content_checks.py), on
small articles written here: what the tests once pinned to the flagship's own text (its
byline dates, its table rows, its questions) is a rule for every article."""

import datetime
import re

from articles.content_checks import date_problems, file_problems, question_problems, table_problems
from articles.content_files import parse

from .helpers import SLUG, copy_content
from .test_check_content import problems

TODAY = datetime.date(2026, 12, 1)


def article(
    body="## Overview {#overview}\n\nA sentence.\n", published="2026-11-20", updated="2026-11-27"
):
    dates = (f"published: {published}\n" if published else "") + f"updated: {updated}\n"
    return parse(
        "---\ntitle: A title\nslug: a-slug\nsummary: A summary.\nauthors: editor\n"
        f"{dates}---\n\n{body}"
    )


def test_a_small_article_in_order_has_no_problems():
    text = (
        "## Key facts {#key-facts}\n\n| What | Why |\n|---|---|\n| a | b |\n| c \\| d | e |\n\n"
        "## Questions {#faq}\n\n### Is it safe?\n\nNobody knows.\n\n"
        "### Does it help? {#faq-help}\n\nNo.\n"
    )
    assert file_problems(article(text)) == []


def test_byline_dates_in_the_future_or_out_of_order():
    assert date_problems(article(published="2026-12-02", updated="2026-12-03"), TODAY) == [
        (None, "“published: 2026-12-02” is in the future."),
        (None, "“updated: 2026-12-03” is in the future."),
    ]
    assert date_problems(article(published="2026-11-20", updated="2026-11-19"), TODAY) == [
        (None, "“updated: 2026-11-19” is before “published: 2026-11-20”.")
    ]
    assert date_problems(article(published=None, updated="2026-11-19"), TODAY) == []


def test_the_questions_section_asks_questions():
    text = (
        "## Overview {#overview}\n\nText.\n\n"
        "## Questions {#faq}\n\n### Is it safe?\n\nNo.\n\n### Dosing {#faq-dose}\n\nNone.\n"
    )
    # The heading "### Dosing" is line 20 of the file (the front matter takes 8).
    assert question_problems(article(text)) == [
        (20, "the question “Dosing” does not end with “?”.")
    ]
    empty = article("## Questions {#faq}\n\nNothing asked.\n")
    assert question_problems(empty) == [(10, "the section “Questions” asks no question.")]
    # Not a heading: inside a code block.
    fenced = article("## Questions {#faq}\n\n### Why?\n\n```\n### not a question\n```\n")
    assert question_problems(fenced) == []


def test_every_table_row_has_its_header_cells():
    text = (
        "## Key facts {#key-facts}\n\n| What | Why |\n|---|---|\n| a | b |\n| only one |\n"
        "| x | y | z |\n\nAfter.\n| not | a table |\n"
    )
    found = table_problems(article(text))
    assert [(line, message.split(";")[0]) for line, message in found] == [
        (15, "this table row has 1 cells"),
        (16, "this table row has 3 cells"),
    ]
    assert all("its header (line 12) has 2" in message for _, message in found)


def test_check_content_runs_them(tmp_path):
    """On a copy of content/ whose article was last updated before it was published."""
    content = copy_content(tmp_path)
    path = content / "articles" / f"{SLUG}.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^updated: .*$", "updated: 2001-01-01", text), encoding="utf-8")
    assert f"{SLUG}.md: “updated: 2001-01-01” is before “published:" in problems(content)
