"""What the editor must fix before a save: each is a form error, and nothing is saved."""

import pytest

from tests.editors.conftest import form_data, form_errors, post, post_change, snapshot

pytestmark = pytest.mark.django_db

CLASH = "The article already has a section with the key “{key}” (“{title}”): each key is used once."


def save_body(client, section, body, **extra):
    return post_change(client, section, body_markdown=body, change_note="An edit.", **extra)


def body_with(section, *lines):
    """The section's text with lines appended; returns (text, number of the first)."""
    first = len(section.body_markdown.split("\n")) + 2
    return section.body_markdown + "\n\n" + "\n".join(lines), first


@pytest.mark.parametrize("preview", [False, True])
def test_unknown_citation_key_names_the_key_and_line(editor_client, imported, overview, preview):
    before = snapshot(imported)
    body, line = body_with(overview, "A claim with a typo in its key [@szigeti2O21].")
    extra = {"_preview": "Preview"} if preview else {}
    response = save_body(editor_client, overview, body, **extra)

    assert response.status_code == 200
    assert f"Line {line}: unknown citation key “szigeti2O21”." in form_errors(response)
    assert "Preview — as readers will see it" not in response.content.decode()
    # The editor's text is kept for them to fix.
    assert form_data(response)["body_markdown"] == body
    assert snapshot(imported) == before


@pytest.mark.parametrize(
    "markdown, message",
    [
        ("<script>alert(1)</script>", "the <script> element would be removed"),
        (
            '<span onclick="steal()">Tap here</span> for help.',
            "the onclick attribute on <span> would be removed",
        ),
        ("[Get help](javascript:alert(1)) now.", "the link to “javascript:alert(1)” would be"),
        ('<a href="javascript:alert(1)">help</a>', "the link to “javascript:alert(1)” would be"),
        ("<iframe></iframe>", "the <iframe> element would be removed"),
        ('<script src="https://evil.example/x.js"></script>', "the <script> element would be"),
        ('<img src="x.png" alt="">', "the <img> element would be removed"),
    ],
)
def test_what_the_sanitizer_would_strip_is_an_error_saying_what_and_where(
    editor_client, imported, overview, markdown, message
):
    before = snapshot(imported)
    body, line = body_with(overview, "A harmless line.", markdown)
    response = save_body(editor_client, overview, body)

    assert response.status_code == 200
    errors = form_errors(response)
    assert any(e.startswith(f"Line {line + 1}: {message}") for e in errors), errors
    assert snapshot(imported) == before


def test_a_level_two_heading_inside_a_body_is_an_error(editor_client, imported, overview):
    before = snapshot(imported)
    body, line = body_with(overview, "## A new section {#extra}", "Its text.")
    response = save_body(editor_client, overview, body)

    assert response.status_code == 200
    errors = form_errors(response)
    assert any(e.startswith(f"Line {line}: “## A new section") for e in errors), errors
    assert any("use ### for a heading inside a section" in e for e in errors)
    assert snapshot(imported) == before


def test_adding_a_section_with_a_key_already_used_is_an_error(editor_client, imported):
    before = snapshot(imported)
    opened = editor_client.get("/admin/articles/section/add/")
    data = {
        **form_data(opened),
        "article": str(imported.pk),
        "key": "overview",
        "title": "A second overview",
        "order": "9",
        "body_markdown": "Text of a second overview.",
        "change_note": "Add a section.",
    }
    response = editor_client.post("/admin/articles/section/add/", data)

    assert response.status_code == 200
    assert form_errors(response) == [CLASH.format(key="overview", title="Overview")]
    assert snapshot(imported) == before
    assert imported.sections.count() == 8


def test_changing_a_section_key_to_one_already_used_is_an_error(editor_client, imported):
    """On the change form the article is read-only, so the model's unique constraint is
    not checked by the form: without an explicit check the save fails with a 500."""
    before = snapshot(imported)
    overview = imported.sections.get(key="overview")
    response = post_change(editor_client, overview, key="faq", change_note="Rename.")

    assert response.status_code == 200
    faq = imported.sections.get(key="faq")
    assert form_errors(response) == [CLASH.format(key="faq", title=faq.title)]
    assert snapshot(imported) == before


def test_a_valid_new_section_can_be_added(editor_client, editor, imported):
    """The add form works too (a key the article does not use yet)."""
    imported.sections.filter(key="faq").delete()
    opened = editor_client.get("/admin/articles/section/add/")
    data = {
        **form_data(opened),
        "article": str(imported.pk),
        "key": "faq",
        "title": "Questions",
        "order": "9",
        "body_markdown": "### Is it legal?\n\nIt depends on the place [@oregon_measure109_2020].",
        "change_note": "Bring back the FAQ.",
    }
    response = post(editor_client, "/admin/articles/section/add/", data)

    assert response.status_code == 302, form_errors(response)
    faq = imported.sections.get(key="faq")
    assert 'class="cite-link' in faq.body_html
    assert faq.history.get().history_user == editor
    assert faq.history.get().history_change_reason == "Bring back the FAQ."


@pytest.mark.parametrize("amount", ["0.2 g", "25 mg", "10 µg", "15 micrograms"])
def test_a_drug_amount_is_refused_even_with_a_citation(editor_client, imported, overview, amount):
    """The site never tells readers how much to take: an amount is a form error naming
    its line, whether or not the sentence cites a source, and nothing is saved."""
    before = snapshot(imported)
    body, line = body_with(overview, f"People in one study took {amount} [@szigeti2021].")
    response = save_body(editor_client, overview, body)

    assert response.status_code == 200
    assert form_errors(response) == [
        f"Line {line}: “{amount}” is a drug amount; describe doses without numbers "
        "(for example “a low dose”)."
    ]
    assert snapshot(imported) == before
