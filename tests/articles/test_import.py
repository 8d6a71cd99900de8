"""manage.py import_content: refuses bad files with file, line and reason; all or nothing;
idempotent; never overwrites an editor's work unless --force."""

import json

import pytest
from django.core.management.base import CommandError

from articles.content_files import parse
from articles.models import Article, Section
from citations.models import Citation, ClaimCitation
from tests.articles.helpers import CONTENT, SLUG, copy_content, run

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything an import could write, so a refused import can be shown to write nothing."""
    return {
        "articles": list(Article.objects.order_by("pk").values()),
        "sections": list(Section.objects.order_by("pk").values()),
        "citations": list(Citation.objects.order_by("pk").values()),
        "claims": list(ClaimCitation.objects.order_by("pk").values()),
        "history": (
            Article.history.count(),
            Section.history.count(),
            Citation.history.count(),
        ),
    }


def article_file(content):
    return content / "articles" / f"{SLUG}.md"


def line_of(path, needle):
    """1-based line of the first line containing needle (or exactly equal to it, when the
    needle starts with "="), found independently of the code."""
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if line == needle[1:] if needle.startswith("=") else needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def drop_first_line(text):
    return text.split("\n", 1)[1]


def drop_closing_fence(text):
    head, _, rest = text.partition("\n---\n")
    return head + "\n" + rest


def add_unknown_field(text):
    return text.replace("slug: ", "colour: blue\nslug: ", 1)


def bad_date(text):
    return text.replace("published: 2026-11-20", "published: 2026-13-40", 1)


def a_reviewer_in_the_file(text):
    """Only a signature in the admin names a reviewer: a file may not."""
    return text.replace("published: ", "reviewer: Dr Somebody\npublished: ", 1)


def a_review_date_in_the_file(text):
    return text.replace("published: ", "reviewed: 2026-11-27\npublished: ", 1)


def slug_not_the_file_name(text):
    """Keys out of the usual order: the error still points at the slug's own line."""
    title, slug, rest = text.split("\n", 3)[1:]
    return f"---\n{slug.replace(SLUG, 'another-slug')}\n{title}\n{rest}"


def malformed_section_key(text):
    return text.replace("{#mechanism}", "{#How_it_works}", 1)


def section_key_the_page_uses(text):
    """A section keyed "references" would give the page two elements with that id."""
    return text.replace("{#mechanism}", "{#references}", 1)


def crisis_in_no_section(text):
    return text.replace("crisis: risks", "crisis: dangers", 1)


def marker_without_a_claim(text):
    """A lone marker after a paragraph that cites the same key twice."""
    anchor = "When a drug blocked this receptor, psilocybin's effects were blocked too"
    start = text.index(anchor)
    end = text.index("\n", start)
    return text[:end] + "\n\n[@vollenweider1998]" + text[end:]


def unknown_citation(text):
    return text.replace("[@ly2018]", "[@ly2019]", 1)


CASES = [
    # mutation, (needle on the expected line, or a line number), words of the reason
    (drop_first_line, 1, "must start with a front matter line"),
    (drop_closing_fence, 1, "not closed"),
    (add_unknown_field, "colour: blue", "is not a front matter field"),
    (bad_date, "published: 2026-13-40", "must be a date written YYYY-MM-DD"),
    (a_reviewer_in_the_file, "reviewer: Dr Somebody", "only a review signed in the admin"),
    (a_review_date_in_the_file, "reviewed: 2026-11-27", "only a review signed in the admin"),
    (slug_not_the_file_name, "slug: another-slug", "the slug must match the file name"),
    (malformed_section_key, "{#How_it_works}", "“How_it_works” is not a section key"),
    (section_key_the_page_uses, "{#references}", "“references” is a name the page uses"),
    (crisis_in_no_section, "crisis: dangers", "“crisis: dangers” names no section"),
    (unknown_citation, "[@ly2019]", "unknown citation key “ly2019”"),
    (
        marker_without_a_claim,
        "=[@vollenweider1998]",
        "the citation “vollenweider1998” does not follow a claim",
    ),
]


@pytest.mark.parametrize("mutate, where, reason", CASES, ids=[c[0].__name__ for c in CASES])
@pytest.mark.parametrize("database", ["empty", "imported"])
def test_bad_file_is_refused_with_file_line_and_reason_and_nothing_changes(
    tmp_path, database, mutate, where, reason
):
    """A refused import names the file, the line and the reason, and the database is
    exactly as before (empty, or holding the previous import)."""
    if database == "imported":
        run("import_content")
    content = copy_content(tmp_path)
    path = article_file(content)
    path.write_text(mutate(path.read_text(encoding="utf-8")), encoding="utf-8")
    line = where if isinstance(where, int) else line_of(path, where)
    before = snapshot()

    with pytest.raises(CommandError) as caught:
        run("import_content", dir=str(content))

    message = str(caught.value)
    assert str(path) in message
    assert f"line {line}:" in message
    assert reason in message
    assert "Nothing was imported" in message
    assert snapshot() == before


def test_one_transaction_a_late_error_undoes_earlier_writes(tmp_path):
    """Citations are written before articles are checked: an unknown key in the article
    must roll back a new citation record from the same run."""
    content = copy_content(tmp_path)
    records = json.loads((content / "citations.json").read_text(encoding="utf-8"))
    records.append(
        {
            "id": "brand-new-record",
            "type": "article-journal",
            "title": "A record that arrives with the broken article",
            "custom": {"study_design": "rct", "verification": "verified"},
        }
    )
    (content / "citations.json").write_text(json.dumps(records), encoding="utf-8")
    path = article_file(content)
    path.write_text(unknown_citation(path.read_text(encoding="utf-8")), encoding="utf-8")

    with pytest.raises(CommandError, match="ly2019"):
        run("import_content", dir=str(content))

    assert not Citation.objects.exists()
    assert not Article.objects.exists()


def test_second_import_changes_nothing(imported):
    """Idempotent: the second run creates and updates nothing, and says so."""
    before = snapshot()
    output = run("import_content")
    assert "Nothing to import" in output
    assert "created" not in output and "updated" not in output
    assert snapshot() == before


def test_first_import_creates_everything(db):
    """The first run reports what it created: every citation, the article, its sections."""
    output = run("import_content")
    records = json.loads((CONTENT / "citations.json").read_text(encoding="utf-8"))
    assert output.count("created citation ") == len(records)
    assert f"created article {SLUG}" in output
    in_file = parse((CONTENT / "articles" / f"{SLUG}.md").read_text(encoding="utf-8")).sections
    assert output.count(f"created section {SLUG}#") == len(in_file) > 1
    article = Article.objects.get(slug=SLUG)
    assert [s.key for s in article.sections.order_by("order")] == [s.key for s in in_file]
    assert article.references_html


def test_admin_edit_is_left_alone_and_reported_then_overwritten_with_force(imported):
    """An editor's change made after the last import survives a later import (which
    reports it) and is replaced by the file's text only with --force."""
    section = imported.sections.get(key="risks")
    original = section.body_markdown
    section.body_markdown = original + "\n\nAn editor added this sentence in the admin."
    section.save()

    output = run("import_content")
    assert f"left alone section {SLUG}#risks" in output
    assert "use --force" in output
    assert "Nothing to import" not in output
    section.refresh_from_db()
    assert section.body_markdown.endswith("An editor added this sentence in the admin.")
    assert "An editor added this sentence" in section.body_html

    output = run("import_content", force=True)
    assert f"updated section {SLUG}#risks" in output
    section.refresh_from_db()
    assert section.body_markdown == original
    assert "An editor added this sentence" not in section.body_html
    assert "Nothing to import" in run("import_content")


def test_admin_edit_to_a_citation_is_left_alone(imported):
    """The same care for citation records corrected in the admin."""
    citation = Citation.objects.get(key="szigeti2021")
    citation.finding = "Corrected by an editor."
    citation.save()

    output = run("import_content")
    assert "left alone citation szigeti2021" in output
    citation.refresh_from_db()
    assert citation.finding == "Corrected by an editor."


def test_changed_file_updates_only_what_changed(imported, tmp_path):
    """An edit to one section in the file updates that section, and no other."""
    content = copy_content(tmp_path)
    path = article_file(content)
    text = path.read_text(encoding="utf-8")
    old = "Most do not test what they take [@petranker2020]."
    path.write_text(text.replace(old, old + " A sentence added in the file."), encoding="utf-8")
    versions = dict(imported.sections.values_list("key", "version"))

    output = run("import_content", dir=str(content))

    assert output.strip().splitlines() == [f"updated section {SLUG}#experiences"]
    after = dict(imported.sections.values_list("key", "version"))
    assert after == {**versions, "experiences": versions["experiences"] + 1}
    assert "A sentence added in the file." in imported.sections.get(key="experiences").body_html


@pytest.mark.django_db
def test_authors_without_accounts_get_placeholders_that_say_so():
    """A fresh database (tests, a new site): the authors named in content/ have no
    accounts yet. Import still works, and says what it made."""
    from people.models import PLACEHOLDER_NAME

    output = run("import_content")
    assert "author “editor” has no account yet" in output
    article = Article.objects.get(slug=SLUG)
    [author] = article.authors.all()
    assert author.public_name == PLACEHOLDER_NAME
    assert not author.user.is_active and not author.user.has_usable_password()
    assert "has no account yet" not in run("import_content", force=True)
