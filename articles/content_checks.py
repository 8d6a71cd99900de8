"""Checks of an article file that need no rendering, for `manage.py check_content`.

What the tests used to pin to the flagship article's text (its byline dates, the rows of
its key facts table, its questions) is checked here as a rule any article must follow,
so that an editor's change fails check_content with a message, not a test.

Each check takes the parsed file (articles.content_files.parse) and returns
[(line in the file or None, message)].
"""

import re

from django.utils import timezone

FAQ_KEY = "faq"
FENCE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN = re.compile(r"`[^`]*`")
# A table's delimiter row: | --- | :---: | (the outer pipes optional).
DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def date_problems(article, today=None):
    """The byline's dates: neither in the future, "updated" not before "published"."""
    today = today or timezone.localdate()
    published, updated = article.front.get("published"), article.front.get("updated")
    problems = []
    for name, value in (("published", published), ("updated", updated)):
        if value and value > today:
            problems.append((None, f"“{name}: {value}” is in the future."))
    if published and updated and updated < published:
        problems.append((None, f"“updated: {updated}” is before “published: {published}”."))
    return problems


def body_lines(section):
    """(file line, line with code spans blanked) outside fenced code blocks."""
    in_fence = False
    for number, line in enumerate(section.body.split("\n"), start=1):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence:
            yield section.file_line(number), CODE_SPAN.sub(lambda m: "x" * len(m[0]), line)


def question_problems(article):
    """Each heading of the questions section is a question: it becomes a question in the
    page's FAQ structured data, which search engines show as asked."""
    problems = []
    for section in article.sections:
        if section.key != FAQ_KEY:
            continue
        headings = [(n, line) for n, line in body_lines(section) if line.startswith("### ")]
        if not headings:
            problems.append((section.line, f"the section “{section.title}” asks no question."))
        for number, line in headings:
            text = re.sub(r"\s*\{[^}]*\}\s*$", "", line[4:]).strip()
            if not text.endswith("?"):
                problems.append((number, f"the question “{text[:40]}” does not end with “?”."))
    return problems


def cells(line):
    line = line.strip()
    line = line.removeprefix("|").removesuffix("|")
    return len(re.split(r"(?<!\\)\|", line))


def table_problems(article):
    """Every row of a table has its header's number of cells: Markdown pads a short row
    with empty cells and drops the extra ones of a long row, without a word."""
    problems = []
    for section in article.sections:
        lines = list(body_lines(section))
        for index, (_number, line) in enumerate(lines):
            if index == 0 or not DELIMITER_ROW.match(line) or "|" not in line:
                continue
            header_number, header = lines[index - 1]
            width = cells(header)
            for row_number, row in lines[index + 1 :]:
                if "|" not in row or not row.strip():
                    break
                if cells(row) != width:
                    problems.append(
                        (
                            row_number,
                            f"this table row has {cells(row)} cells; its header "
                            f"(line {header_number}) has {width}.",
                        )
                    )
    return problems


CHECKS = [date_problems, question_problems, table_problems]


def file_problems(article):
    return [problem for check in CHECKS for problem in check(article)]
