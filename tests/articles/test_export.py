"""manage.py export_content writes the database back to content/ exactly: import then
export gives back the files byte for byte, and export then import changes nothing."""

import datetime
import string
import tempfile
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.content_files import ArticleText, SectionText, parse, serialize
from articles.models import Article, Section, SectionKey, section_key_problem
from citations.csl import dumps
from citations.models import Citation, StudyDesign, Verification
from tests.articles.helpers import CONTENT, SLUG, run
from tests.articles.test_import import snapshot

pytestmark = pytest.mark.django_db


def files_under(root):
    return {
        path.relative_to(root): path.read_bytes()
        for path in sorted(Path(root).rglob("*"))
        if path.is_file() and path.name != "README.md"
    }


def test_export_reproduces_content_byte_for_byte(imported, tmp_path):
    """Import the real content/, export it elsewhere: the same files, the same bytes."""
    run("export_content", dir=str(tmp_path))
    exported, original = files_under(tmp_path), files_under(CONTENT)
    assert (
        sorted(exported)
        == sorted(original)
        == [
            Path("articles") / f"{SLUG}.md",
            Path("citations.json"),
            Path("outcomes") / f"{SLUG}.json",
        ]
        # Support checks are written once an editor has checked claims.
        + ([Path("support") / f"{SLUG}.json"] if (CONTENT / "support").exists() else [])
    )
    for name, data in original.items():
        assert exported[name] == data, f"{name} differs after import and export"


def test_export_then_import_changes_nothing(imported, tmp_path):
    """After an editor's change, export writes it out, and importing that export finds
    nothing to do (no change reported as an admin edit either)."""
    section = imported.sections.get(key="faq")
    section.body_markdown += "\n\nAn answer an editor added in the admin."
    section.save()
    citation = Citation.objects.get(key="hunter2005")
    citation.finding = "Corrected in the admin."
    citation.save()

    run("export_content", dir=str(tmp_path))
    assert "An answer an editor added in the admin." in (
        tmp_path / "articles" / f"{SLUG}.md"
    ).read_text(encoding="utf-8")
    before = snapshot()
    output = run("import_content", dir=str(tmp_path))
    assert "Nothing to import" in output, output
    assert snapshot() == before


def test_second_export_writes_nothing(imported, tmp_path):
    """Export is idempotent: a second run finds every file already up to date."""
    run("export_content", dir=str(tmp_path))
    assert "Nothing to export" in run("export_content", dir=str(tmp_path))


# Generated articles ----------------------------------------------------------------------

# One line of text as an editor types it: no line breaks, no surrounding spaces.
LINE = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x85\u2028\u2029"
        ),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
WORD = st.text(alphabet=string.ascii_letters, min_size=1, max_size=10)
DATE = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2030, 12, 31))
SLUGS = st.from_regex(r"[a-z0-9]{1,12}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)


@st.composite
def sentences(draw, keys=()):
    words = draw(st.lists(WORD, min_size=1, max_size=8))
    sentence = " ".join(words).capitalize()
    if keys and draw(st.booleans()):
        cited = draw(st.lists(st.sampled_from(keys), min_size=1, max_size=2))
        sentence += " [" + "; ".join(f"@{key}" for key in cited) + "]"
    return sentence + "."


@st.composite
def blocks(draw, keys=()):
    kind = draw(st.sampled_from(["para", "list", "table", "heading", "note", "code"]))
    if kind == "para":
        return " ".join(draw(st.lists(sentences(keys), min_size=1, max_size=4)))
    if kind == "list":
        items = draw(st.lists(sentences(keys), min_size=1, max_size=4))
        return "\n".join(f"- {item}" for item in items)
    if kind == "table":
        rows = draw(st.lists(st.tuples(WORD, sentences(keys)), min_size=1, max_size=3))
        return "| Thing | What we know |\n|---|---|\n" + "\n".join(
            f"| {a} | {b} |" for a, b in rows
        )
    if kind == "heading":
        return f"### {draw(WORD)} {draw(WORD)}?"
    if kind == "note":
        return f'!!! note "{draw(WORD)}"\n    {draw(sentences(keys))}'
    # A fence may hold what would otherwise be a heading.
    return f"```\n## Not a heading {{#{draw(WORD)}}}\n{draw(LINE)}\n```"


@st.composite
def articles(draw, keys=()):
    # Any slug is a key: the standard ones and others ("living-with-it").
    any_key = st.one_of(
        st.sampled_from(SectionKey.values),
        st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True).filter(
            lambda key: section_key_problem(key) is None
        ),
    )
    chosen = draw(st.lists(any_key, min_size=1, max_size=8, unique=True))
    sections = [
        SectionText(
            key=key,
            title=draw(LINE),
            body="\n\n".join(draw(st.lists(blocks(keys), max_size=4))),
        )
        for key in chosen
    ]
    optional_date = st.one_of(st.none(), DATE)
    front = {
        "title": draw(LINE),
        "slug": draw(SLUGS),
        "summary": draw(LINE),
        "authors": ", ".join(
            sorted(
                draw(
                    st.lists(
                        st.from_regex(r"[a-z][a-z0-9_.-]{0,20}", fullmatch=True),
                        min_size=1,
                        max_size=3,
                        unique=True,
                    )
                )
            )
        ),
        "published": draw(optional_date),
        "updated": draw(DATE),
        "crisis": draw(st.one_of(st.none(), st.sampled_from(chosen))),
    }
    return ArticleText(front=front, sections=sections)


@settings(max_examples=100, deadline=None)
@given(articles())
def test_property_parse_and_serialize_are_inverse(article):
    """serialize(parse(x)) == x for every canonical file, and parse reads back the fields."""
    text = serialize(article)
    parsed = parse(text)
    assert serialize(parsed) == text
    assert parsed.front == article.front
    assert [(s.key, s.title, s.body) for s in parsed.sections] == [
        (s.key, s.title, s.body) for s in article.sections
    ]


NAME = st.text(alphabet=string.ascii_letters + " -'éü", min_size=1, max_size=15).map(str.strip)
SHORT = LINE.map(lambda s: s[:30].strip()).filter(bool)
ISSUED = st.one_of(
    st.integers(1800, 2100).map(lambda year: {"date-parts": [[year]]}),
    st.tuples(st.integers(1800, 2100), st.integers(1, 12)).map(
        lambda parts: {"date-parts": [list(parts)]}
    ),
)


@st.composite
def csl_records(draw):
    """Canonical CSL-JSON items as export writes them (fixed key order, no empty fields)."""
    count = draw(st.integers(min_value=1, max_value=4))
    records = []
    for index in range(count):
        located = draw(st.booleans())
        item = {"id": f"src{index}-{draw(WORD).lower()}"}
        item["type"] = draw(st.sampled_from(["article-journal", "webpage", "book", "post"]))
        if located:
            item["title"] = draw(LINE)
            authors = draw(
                st.lists(
                    st.one_of(
                        st.builds(lambda f, g: {"family": f, "given": g}, NAME, NAME),
                        st.builds(lambda name: {"literal": name}, NAME),
                    ).filter(lambda author: all(author.values())),
                    max_size=3,
                )
            )
            if authors:
                item["author"] = authors
            for field, strategy in [
                ("container-title", SHORT),
                ("issued", ISSUED),
                ("volume", st.from_regex(r"[0-9]{1,3}", fullmatch=True)),
                ("page", st.from_regex(r"[0-9]{1,3}-[0-9]{1,3}", fullmatch=True)),
                # A DOI as stored: trailing punctuation is read as the sentence's, not
                # the DOI's, and normalised away on import (citations/identifiers.py).
                (
                    "DOI",
                    st.from_regex(
                        r"10\.[0-9]{4}/[a-z0-9]([a-z0-9.]{0,10}[a-z0-9])?", fullmatch=True
                    ),
                ),
                ("PMID", st.from_regex(r"[1-9][0-9]{4,7}", fullmatch=True)),
            ]:
                if draw(st.booleans()):
                    item[field] = draw(strategy)
            # Other CSL fields are kept as imported, after the known ones, sorted.
            if draw(st.booleans()):
                item["accessed"] = {"date-parts": [[draw(st.integers(2000, 2030)), 1, 2]]}
            if draw(st.booleans()):
                item["publisher"] = draw(SHORT)
            design = draw(st.sampled_from([d for d in StudyDesign.values if d != "unknown"]))
            verification = draw(st.sampled_from(["verified", "partial"]))
        else:
            item["title"] = ""
            design, verification = "unknown", Verification.NOT_LOCATED.value
        custom = {"study_design": design}
        if draw(st.booleans()):
            custom["sample_size"] = draw(SHORT)
        if draw(st.booleans()):
            custom["finding"] = draw(LINE)
        custom["verification"] = verification
        if not located:
            custom["verification_note"] = draw(LINE)
            custom["described_as"] = draw(LINE)
        item["custom"] = custom
        records.append(item)
    return records


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_property_import_then_export_reproduces_generated_files(data):
    """Generated content/ folders survive the database: import, export, same bytes.

    Each example gets a fresh folder and its own transaction, rolled back afterwards.
    """
    records = data.draw(csl_records())
    keys = [record["id"] for record in records]
    article = data.draw(articles(keys=keys))
    with tempfile.TemporaryDirectory() as source, tempfile.TemporaryDirectory() as target:
        (Path(source) / "articles").mkdir()
        (Path(source) / "citations.json").write_text(dumps(records), encoding="utf-8")
        name = Path(source) / "articles" / f"{article.front['slug']}.md"
        name.write_text(serialize(article), encoding="utf-8")

        with transaction.atomic():
            run("import_content", dir=source)
            run("export_content", dir=target)
            assert files_under(target) == files_under(source)
            assert "Nothing to import" in run("import_content", dir=target)
            transaction.set_rollback(True)
    assert not Article.objects.exists() and not Section.objects.exists()
