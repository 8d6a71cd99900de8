"""The content rules: one function, used by the admin and by `manage.py check_content`.

`check_sections()` checks an article's sections the way they will be published (one
reference numbering across the article) and returns every problem with the line of the
section's text it is on and a message an editor understands. The admin shows
"Line N: message" under the edited text; check_content prints the same message with the
file's line and the section's line.

Other apps add rules with `register_rule`: a rule is called as
`rule(section, rendered, citations)` for each section that rendered, and returns a list of
Problems (line numbers within the section's text, or None).
"""

import re
from dataclasses import replace

from citations.amounts import amounts_in
from citations.markdown_ext import MARKER_RE

from .rendering import Problem, RenderError, render_markdown

OPENING = re.compile(r"\[@")
CODE_SPAN = re.compile(r"`[^`]*`")


def visible_lines(text):
    """(line number, line with code spans blanked) outside fenced code blocks."""
    in_fence = False
    for number, line in enumerate(text.split("\n"), start=1):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if not in_fence:
            yield number, CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


def heading_problems(text, key):
    return [
        Problem(
            number,
            f"“{line[:40]}” would start a new section; use ### for a heading inside a section.",
            key,
        )
        for number, line in visible_lines(text)
        if line.startswith("## ")
    ]


def marker_problems(text, key):
    """A `[@` that does not open a complete marker would go live as literal text."""
    problems = []
    for number, line in visible_lines(text):
        complete = {m.start() for m in re.finditer(MARKER_RE, line)}
        for opening in OPENING.finditer(line):
            start = opening.start()
            before = line[:start]
            if (len(before) - len(before.rstrip("\\"))) % 2 or start in complete:
                continue
            fragment = line[start : start + 30].rstrip()
            problems.append(
                Problem(
                    number,
                    f"“{fragment}” is not a complete citation: write [@key] right after "
                    "the claim, or [@key1; @key2] for several sources.",
                    key,
                )
            )
    return problems


def words(text):
    return re.findall(r"[A-Za-z0-9]+", text)


def line_of(sentence, text):
    """The line of the text where a rendered sentence starts (formatting ignored)."""
    wanted = words(sentence)[:4]
    if not wanted:
        return None
    for number, line in enumerate(text.split("\n"), start=1):
        found = words(line)
        for i in range(len(found) - len(wanted) + 1):
            if found[i : i + len(wanted)] == wanted:
                return number
    return None


def number_problems(section, rendered, citations):
    """Figures without a source: every sentence with a number carries a citation."""
    return [
        Problem(
            line_of(sentence, section.body_markdown),
            f"a number without a citation: “{sentence[:120]}”. Cite its source with [@key].",
            section.key,
        )
        for sentence in rendered.uncited_numbers
    ]


def stripped_problems(section, rendered, citations):
    """Raw HTML the sanitizer would remove: refused rather than silently dropped."""
    return [Problem(None, text, section.key) for text in rendered.stripped]


def amount_problems(section, rendered, citations):
    """Drug amounts: the site never tells readers how much to take, not even in quotes."""
    return [
        Problem(
            number,
            f"“{amount}” is a drug amount; describe doses without numbers "
            "(for example “a low dose”).",
            section.key,
        )
        for number, line in enumerate(section.body_markdown.split("\n"), start=1)
        for amount in amounts_in(line)
    ]


RULES = [number_problems, stripped_problems, amount_problems]


def register_rule(rule):
    """Add a rule that every check (admin and check_content) applies from now on."""
    if rule not in RULES:
        RULES.append(rule)
    return rule


def check_sections(sections, citations):
    """Check sections (objects with key, title, body_markdown) in reading order.

    Returns (problems, rendered): rendered is the list of RenderedSection when every
    section rendered, else None. Problems come in reading order.
    """
    from citations.markdown_ext import Numbering

    problems = []
    for section in sections:
        problems += heading_problems(section.body_markdown, section.key)
        problems += marker_problems(section.body_markdown, section.key)
    # A broken marker's key reads as an uncited number: report the marker only.
    broken = {(p.section, p.line) for p in problems}
    numbering = Numbering()
    rendered = []
    for section in sections:
        try:
            result = render_markdown(
                section.body_markdown, prefix=section.key, citations=citations, numbering=numbering
            )
        except RenderError as exc:
            problems += [replace(p, section=section.key) for p in exc.problems]
            rendered = None
            continue
        if rendered is not None:
            rendered.append(result)
        for rule in RULES:
            problems += [
                p for p in rule(section, result, citations) if (p.section, p.line) not in broken
            ]
    return problems, rendered
