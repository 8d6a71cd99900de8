"""One set of content rules: the admin refuses exactly what `check_content` refuses, with
the same message and the same line of the section (articles.validation)."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.content_files import SectionText
from articles.validation import Problem, check_sections, register_rule
from citations.models import Citation
from tests.articles.helpers import SLUG, copy_content
from tests.editors.conftest import form_errors, post_change, snapshot

BROKEN = {
    "malformed marker": (
        "When a drug blocked this receptor",
        "A claim whose marker is not closed [@szigeti2021 . When a drug blocked this receptor",
        "“[@szigeti2021 .",
    ),
    "figure without a source": (
        "Do not stop an antidepressant without your doctor.",
        "In 7 of 10 cases, people stop an antidepressant without their doctor.",
        "a number without a citation: “In 7 of 10 cases, people stop",
    ),
    "unknown key": ("[@ly2018]", "[@ly2019]", "unknown citation key “ly2019”."),
    "drug amount": (
        "Most do not test what they take [@petranker2020].",
        "Most take 0.1 g and do not test it [@petranker2020].",
        "“0.1 g” is a drug amount",
    ),
}


def check_content_errors(content):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_content", dir=str(content), stdout=io.StringIO(), stderr=err)
    return err.getvalue().splitlines()


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BROKEN))
def test_admin_and_check_content_refuse_with_the_same_message_and_line(
    case, tmp_path, editor_client, imported
):
    old, new, expected = BROKEN[case]
    section = next(s for s in imported.sections.order_by("order") if old in s.body_markdown)
    body = section.body_markdown.replace(old, new, 1)
    before = snapshot(imported)

    response = post_change(editor_client, section, body_markdown=body, change_note="Edit.")
    assert response.status_code == 200
    [admin_error] = [e for e in form_errors(response) if expected in e]
    assert snapshot(imported) == before, "the admin saved what check_content refuses"
    line, message = re.fullmatch(r"Line (\d+): (.+)", admin_error).groups()

    content = copy_content(tmp_path)
    path = content / "articles" / f"{SLUG}.md"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    printed = [e for e in check_content_errors(content) if expected in e]
    assert len(printed) == 1, printed
    assert printed[0].endswith(f"(section “{section.title}”, line {line}): {message}")
    file_line = int(re.search(r", line (\d+) \(", printed[0])[1])
    assert new in path.read_text(encoding="utf-8").split("\n")[file_line - 1]


def section(body, key="overview"):
    return SectionText(key=key, title="Overview", body=body)


def test_a_marker_that_is_not_closed_is_a_problem_on_its_line():
    citations = {
        "szigeti2021": Citation(key="szigeti2021", study_design="rct", verification="verified")
    }
    problems, _ = check_sections(
        [section("Fine so far [@szigeti2021].\n\nNot closed [@szigeti2021 .")], citations
    )
    assert [str(p) for p in problems] == [
        "Line 3: “[@szigeti2021 .” is not a complete citation: write [@key] right after the "
        "claim, or [@key1; @key2] for several sources."
    ]


def test_a_marker_in_code_or_escaped_is_left_alone():
    problems, rendered = check_sections(
        [section("Write `[@key` like this, or \\[@key to show it.")], {}
    )
    assert problems == [] and rendered is not None


def test_another_app_can_add_a_rule(monkeypatch):
    """certainty and others extend the one function; both admin and command follow."""
    from articles import validation

    monkeypatch.setattr(validation, "RULES", list(validation.RULES))

    def no_shouting(sec, rendered, citations):
        return [Problem(1, "no capitals", sec.key)] if "LOUD" in sec.body_markdown else []

    register_rule(no_shouting)
    problems, _ = check_sections([section("LOUD words.")], {})
    assert [str(p) for p in problems] == ["Line 1: no capitals"]
