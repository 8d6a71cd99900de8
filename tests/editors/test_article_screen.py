"""One article screen: the article's change form edits its sections inline (add, reorder,
remove, any key), previews the whole article with its reading grades, and saves
everything at once under one change note."""

import pytest

from articles.models import Article, Section, SectionKey
from people.models import Profile
from tests.editors.conftest import (
    ARTICLE_URL,
    change_url,
    form_data,
    form_errors,
    logged_in,
    parse,
    post,
    snapshot,
    text_of,
)

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/articles/article/add/"
DENSE = (
    "Notwithstanding considerable methodological heterogeneity, contemporary "
    "investigations concerning psychedelic microdosing interventions have demonstrated "
    "inconsistent physiological, psychological and neurocognitive consequences, "
    "necessitating comprehensive, rigorously controlled, adequately powered longitudinal "
    "evaluation before therapeutic recommendations could responsibly be formulated."
)


def rows(data):
    """{key: form prefix} of the section rows in a form's data (rows with a key)."""
    return {
        value: name[: -len("-key")]
        for name, value in data.items()
        if name.startswith("sections-") and name.endswith("-key") and "__prefix__" not in name
        if value
    }


def blank_row(data):
    """The prefix of the first row with no key: where a new section is typed."""
    return next(
        name[: -len("-key")]
        for name, value in data.items()
        if name.startswith("sections-") and name.endswith("-key") and "__prefix__" not in name
        if not value
    )


def by_class(response, tag, cls):
    return [e for e in parse(response.content).iter(tag) if cls in (e.get("class") or "").split()]


@pytest.fixture
def article(imported):
    return imported


@pytest.fixture
def author(editor):
    return Profile.objects.create(user=editor, public_name="Edith Editor")


def test_the_article_form_has_every_sections_text_inline(editor_client, article):
    response = editor_client.get(change_url(article))
    data = form_data(response)
    found = rows(data)
    assert list(found) == SectionKey.values  # in reading order
    overview = article.sections.get(key="overview")
    assert data[f"{found['overview']}-body_markdown"] == overview.body_markdown
    html = response.content.decode()
    assert html.count('class="markdown-editor"') >= 8
    # Without JavaScript an empty row is there to add a section; Preview beside Save.
    assert blank_row(data)
    assert 'name="_preview"' in html and 'name="_save"' in html
    assert "[@szigeti2021]" in html  # the citation keys to pick from
    assert 'name="crisis_section"' in html and data["crisis_section"] == "risks"


def test_a_three_section_article_takes_one_screen_and_one_note(editor_client, editor, author):
    """Blank start: three rows, one of a new kind; one save; one note in the history; the
    page shows each section under its own heading and in the contents."""
    opened = editor_client.get(ADD_URL + "?start=blank")
    data = form_data(opened)
    assert data["start"] == "blank" and len(rows(data)) == 0
    data.update(
        title="Does magnesium help with anxiety?",
        slug="magnesium-anxiety",
        summary="What the trials found.",
        authors=str(author.pk),
        status="draft",
        crisis_section="",
        change_note="First draft.",
    )
    sections = [
        ("overview", "Overview", "Magnesium is a mineral."),
        ("living-with-it", "Living with it", "Regular sleep helps many people."),
        ("when-to-see-a-doctor", "When to see a doctor", "If it lasts, see a doctor."),
    ]
    for n, (key, title, body) in enumerate(sections):
        data.update(
            {
                f"sections-{n}-order": str(n),
                f"sections-{n}-key": key,
                f"sections-{n}-title": title,
                f"sections-{n}-body_markdown": body,
            }
        )
    response = post(editor_client, ADD_URL, data)
    assert response.status_code == 302, form_errors(response)

    article = Article.objects.get(slug="magnesium-anxiety")
    assert list(article.sections.values_list("key", "title")) == [s[:2] for s in sections]
    notes = {r.history_change_reason for r in Section.history.filter(article_id=article.pk)}
    notes |= {r.history_change_reason for r in article.history.all()}
    assert notes == {"First draft."}
    assert article.history.count() == 1

    page = parse(editor_client.get(article.get_absolute_url()).content)
    heading = next(h for h in page.iter("h2") if h.get("id") == "living-with-it-title")
    assert text_of(heading) == "Living with it"
    toc = [(a.get("href"), text_of(a)) for a in page.iter("a")]
    assert ("#living-with-it", "Living with it") in toc
    assert ("#when-to-see-a-doctor", "When to see a doctor") in toc


def test_a_new_article_starts_from_the_standard_sections(editor_client, author):
    """The default start: the eight standard sections, created empty where nothing was
    written, and the crisis box in "risks"."""
    data = form_data(editor_client.get(ADD_URL))
    assert list(rows(data)) == SectionKey.values
    assert data["crisis_section"] == "risks"
    data.update(
        title="Sleep and anxiety",
        slug="sleep-anxiety",
        summary="Short.",
        authors=str(author.pk),
        status="draft",
        change_note="Started from the template.",
    )
    data[f"{rows(data)['overview']}-body_markdown"] = "Sleep matters."
    response = post(editor_client, ADD_URL, data)
    assert response.status_code == 302, form_errors(response)
    article = Article.objects.get(slug="sleep-anxiety")
    assert list(article.sections.values_list("key", flat=True)) == SectionKey.values
    assert article.sections.get(key="overview").body_markdown == "Sleep matters."
    assert article.crisis_section == "risks"


def test_editing_reordering_and_removing_is_one_save_with_one_note(editor_client, reader, article):
    before_article_revisions = article.history.count()
    data = form_data(editor_client.get(change_url(article)))
    found = rows(data)
    data[f"{found['overview']}-body_markdown"] += "\n\nEditors added this plain sentence."
    data[f"{found['faq']}-order"] = "0"  # the questions first
    data[f"{found['overview']}-order"] = "1"
    data[f"{found['alternatives']}-DELETE"] = "on"
    data["change_note"] = "Questions first; alternatives moved elsewhere."
    response = post(editor_client, change_url(article), data)
    assert response.status_code == 302, form_errors(response)

    keys = list(article.sections.order_by("order", "pk").values_list("key", flat=True))
    assert keys[:2] == ["faq", "overview"] and "alternatives" not in keys
    removed = Section.history.filter(article_id=article.pk, key="alternatives").first()
    assert removed.history_type == "-"
    assert removed.history_change_reason == "Questions first; alternatives moved elsewhere."
    overview = Section.history.filter(article_id=article.pk, key="overview").first()
    assert overview.history_change_reason == removed.history_change_reason
    # The article's own fields did not change: no revision of it, no version bump.
    assert article.history.count() == before_article_revisions

    html = reader.get(ARTICLE_URL).content.decode()
    assert 'id="alternatives"' not in html and "Editors added this plain sentence." in html
    assert html.index('id="faq"') < html.index('id="overview"')
    # The removed section is listed on the article screen, with the way to restore it.
    screen = editor_client.get(change_url(article)).content.decode()
    assert f"/admin/articles/section/{removed.id}/history/" in screen


def test_a_public_change_is_listed_once(editor_client, reader, article):
    data = form_data(editor_client.get(change_url(article)))
    found = rows(data)
    for key in ("overview", "faq"):
        data[f"{found[key]}-body_markdown"] += "\n\nA plain added sentence."
    data.update(change_note="Clearer wording throughout.", public_change="on")
    response = post(editor_client, change_url(article), data)
    assert response.status_code == 302, form_errors(response)
    html = reader.get(ARTICLE_URL).content.decode()
    assert html.count("Clearer wording throughout.") == 1


def preview(client, article, data):
    response = post(client, change_url(article), {**data, "_preview": "Preview"})
    assert response.status_code == 200
    assert form_errors(response) == []
    assert "Please correct" not in response.content.decode()
    return response


def test_preview_shows_the_whole_article_and_grades_the_previewed_text(editor_client, article):
    """Each preview grades the text being previewed, per section and for the whole
    article, and lists the longest sentences; nothing is saved."""
    before = snapshot(article)
    data = form_data(editor_client.get(change_url(article)))
    found = rows(data)
    data["change_note"] = ""
    first = preview(editor_client, article, data)
    first_grades = [text_of(p) for p in by_class(first, "p", "readability")]
    assert len(first_grades) == len(SectionKey.values) + 1  # each section, the whole

    data[f"{found['overview']}-body_markdown"] = DENSE
    response = preview(editor_client, article, data)
    [box] = by_class(response, "div", "article-preview")
    preview_text = text_of(box)
    assert DENSE in preview_text  # the previewed text, rendered
    assert "Risks and side effects" in preview_text  # and the rest of the article
    grades = [text_of(p) for p in by_class(response, "p", "readability")]
    overview_grade = next(g for g in grades if g.startswith(f"{len(DENSE.split())} words"))
    assert "(previewed text)" in overview_grade and "above grade 9" in overview_grade
    assert overview_grade not in first_grades
    whole = next(g for g in grades if g.startswith("Whole article (previewed text)"))
    assert whole not in first_grades
    longest = [text_of(li) for ol in by_class(response, "ol", "longest-sentences") for li in ol]
    assert "Notwithstanding considerable" in longest[0]
    # The editor's text is still in the form; nothing was saved.
    assert form_data(response)[f"{found['overview']}-body_markdown"] == DENSE
    assert snapshot(article) == before


def test_a_save_needs_a_note_and_valid_text_and_keeps_what_was_typed(editor_client, article):
    before = snapshot(article)
    data = form_data(editor_client.get(change_url(article)))
    found = rows(data)
    data[f"{found['faq']}-body_markdown"] += "\n\nA claim [@nosuchstudy]."
    data["change_note"] = "Cite."
    response = post(editor_client, change_url(article), data)
    assert response.status_code == 200
    assert any("unknown citation key “nosuchstudy”" in e for e in form_errors(response))
    assert "[@nosuchstudy]" in form_data(response)[f"{found['faq']}-body_markdown"]
    assert snapshot(article) == before


@pytest.mark.parametrize(
    "key, error",
    [
        ("<script>x</script>", "is not a section key"),
        ("references", "a name the page uses for itself"),
        ("faq", "is also the key of"),
    ],
)
def test_a_bad_or_repeated_key_is_refused(editor_client, article, key, error):
    before = snapshot(article)
    data = form_data(editor_client.get(change_url(article)))
    row = blank_row(data)
    data.update({f"{row}-key": key, f"{row}-title": "More", f"{row}-body_markdown": "Text."})
    data["change_note"] = "Add."
    response = post(editor_client, change_url(article), data)
    assert response.status_code == 200
    assert any(error in e for e in form_errors(response)), form_errors(response)
    assert "<script>x</script>" not in response.content.decode()
    assert snapshot(article) == before


def test_a_hostile_heading_is_text_in_the_preview_and_on_the_page(editor_client, article):
    hostile = '<img src=x onerror="alert(1)">Living & <b>well</b>'
    data = form_data(editor_client.get(change_url(article)))
    row = blank_row(data)
    data.update({f"{row}-key": "living", f"{row}-title": hostile, f"{row}-body_markdown": "Text."})
    data.update(change_note="Add a section.", _preview="Preview")
    preview = post(editor_client, change_url(article), data)
    assert "<img src=x" not in preview.content.decode()
    assert hostile in text_of(by_class(preview, "div", "article-preview")[0])
    del data["_preview"]
    response = post(editor_client, change_url(article), data)
    assert response.status_code == 302, form_errors(response)
    html = editor_client.get(ARTICLE_URL).content.decode()
    assert "<img src=x" not in html and "<b>well</b>" not in html


def test_the_crisis_box_goes_to_the_chosen_section_or_nowhere(editor_client, reader, article):
    data = form_data(editor_client.get(change_url(article)))
    data.update(crisis_section="no-such-section", change_note="Move the crisis box.")
    response = post(editor_client, change_url(article), data)
    assert response.status_code == 200
    assert any("no section below has that key" in e for e in form_errors(response))

    data["crisis_section"] = "overview"
    response = post(editor_client, change_url(article), data)
    assert response.status_code == 302, form_errors(response)
    html = reader.get(ARTICLE_URL).content.decode()
    assert 'id="crisis-overview"' in html and 'id="crisis-risks"' not in html

    # Removing that section leaves the crisis lines at the end of the page only.
    data = form_data(editor_client.get(change_url(article)))
    data.update({f"{rows(data)['overview']}-DELETE": "on", "change_note": "No overview."})
    response = post(editor_client, change_url(article), data)
    assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    assert article.crisis_section == ""
    html = reader.get(ARTICLE_URL).content.decode()
    assert html.count('class="crisis"') == 1 and 'id="crisis"' in html


def test_a_section_changed_by_someone_else_is_refused_and_kept(editor_client, make_user, article):
    """Two editors open the article; the other saves the overview first. Saving mine is
    refused with their change shown, and my text kept; once I confirm the merge it saves.
    A different section saved meanwhile is no conflict."""
    other = logged_in(make_user("otto", groups=["Editors"]))
    mine = form_data(editor_client.get(change_url(article)))
    theirs = form_data(other.get(change_url(article)))
    found = rows(mine)
    theirs[f"{found['overview']}-body_markdown"] += "\n\nTheir sentence arrived first."
    theirs["change_note"] = "First."
    assert post(other, change_url(article), theirs).status_code == 302

    mine[f"{found['overview']}-body_markdown"] += "\n\nMy sentence came second."
    mine["change_note"] = "Second."
    refused = post(editor_client, change_url(article), mine)
    assert refused.status_code == 200
    assert any(e.startswith("otto saved this section") for e in form_errors(refused))
    [box] = by_class(refused, "div", "revision-conflict")
    assert "Their sentence arrived first." in " ".join(text_of(i) for i in box.iter("ins"))
    again = form_data(refused)
    assert "My sentence came second." in again[f"{found['overview']}-body_markdown"]
    assert "My sentence" not in article.sections.get(key="overview").body_markdown

    # Saving again without confirming is refused again; confirming saves.
    assert post(editor_client, change_url(article), again).status_code == 200
    again[f"{found['overview']}-merged"] = "on"
    response = post(editor_client, change_url(article), again)
    assert response.status_code == 302, form_errors(response)
    assert "My sentence came second." in article.sections.get(key="overview").body_markdown

    # Otto, still on his old form, changes another section: no conflict.
    theirs = form_data(other.get(change_url(article)))
    stale = form_data(editor_client.get(change_url(article)))
    theirs[f"{found['faq']}-body_markdown"] += "\n\nAnother plain sentence."
    theirs["change_note"] = "FAQ."
    assert post(other, change_url(article), theirs).status_code == 302
    stale[f"{found['risks']}-body_markdown"] += "\n\nA third plain sentence."
    stale["change_note"] = "Risks."
    response = post(editor_client, change_url(article), stale)
    assert response.status_code == 302, form_errors(response)


def test_the_article_screen_with_eight_sections_takes_few_queries(
    editor_client, article, django_assert_max_num_queries
):
    """Prevents an n+1: one query loads all eight sections (14 in all: session, user,
    permissions, article, authors to choose from, sections, deleted sections, the
    citation keys to pick from)."""
    editor_client.get(change_url(article))
    with django_assert_max_num_queries(14):
        response = editor_client.get(change_url(article))
    assert response.status_code == 200
