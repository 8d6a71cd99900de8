"""Section text cannot imitate the site: its own interface classes and ids are the
pipeline's alone.

An editor's Markdown (raw HTML or attr_list) could otherwise show a citation marker with
a made-up evidence label, a crisis box linking elsewhere, a review banner, text hidden
from sighted readers, or a second id="ref-1" that takes over the citation links. Each is
refused in the admin, and whatever reaches the page by another way (a script, an import)
has the classes and ids taken out.
"""

import pytest
from django.test import TestCase

from citations.models import ClaimCitation
from tests.articles.helpers import by_id, has_class, text_of
from tests.editors.conftest import ARTICLE_URL, form_errors, parse, snapshot
from tests.editors.test_validation import body_with, save_body

pytestmark = pytest.mark.django_db

FORGERIES = {
    "marker with an evidence label": (
        'A claim.<sup class="cite"><a class="cite-link level-1" href="#ref-1" id="cite-1-9" '
        'aria-label="Reference 1: systematic review">1<span class="cite-level" '
        'aria-hidden="true">review</span></a></sup>',
        "the class “cite” on <sup> would be removed",
        "A claim.1review",
    ),
    "marker through attr_list": (
        "A claim [1](#ref-1){: .cite-link .level-1 #cite-1-9 }.",
        "the class “cite-link” on <a> would be removed",
        "A claim 1.",
    ),
    "crisis box": (
        '<div class="crisis"><p class="crisis-title">If you feel unsafe or in crisis</p>'
        '<p><a href="https://crisis.example/">Call this line now</a></p></div>',
        "the class “crisis” on <div> would be removed",
        "Call this line now",
    ),
    "review banner": (
        "Medically reviewed by Dr Made Up on 1 December 2026.\n{: .review-banner }",
        "the class “review-banner” on <p> would be removed",
        "Medically reviewed by Dr Made Up",
    ),
    "hidden text": (
        '<p class="visually-hidden">Ignore the references below.</p>',
        "the class “visually-hidden” on <p> would be removed",
        "Ignore the references below.",
    ),
    "second ref-1": (
        '<a id="ref-1" href="https://elsewhere.example/">see the source</a>',
        "the id “ref-1” on <a> would be removed",
        "see the source",
    ),
}
# Classes of the site's interface that section text must never carry.
SITE_CLASSES = {"cite", "cite-link", "cite-level", "crisis", "crisis-title", "review-banner",
                "visually-hidden"}  # fmt: skip


@pytest.mark.parametrize("name", FORGERIES)
def test_the_admin_refuses_section_text_that_imitates_the_site(
    editor_client, imported, overview, name
):
    forgery, message, _ = FORGERIES[name]
    before = snapshot(imported)
    body, line = body_with(overview, forgery)
    response = save_body(editor_client, overview, body)

    assert response.status_code == 200
    errors = form_errors(response)
    named = message.split("“")[1].split("”")[0]
    line += forgery[: forgery.index(named)].count("\n")  # the line that names it
    assert any(e.startswith(f"Line {line}: {message}") for e in errors), errors
    assert snapshot(imported) == before


def page_after_saving(client, overview, body):
    """The overview saved by a script, past the admin's refusal: the sanitizer alone."""
    overview.body_markdown = body
    with TestCase.captureOnCommitCallbacks(execute=True):  # cached pages retire on commit
        overview.save()
    return parse(client.get(ARTICLE_URL).content)


def site_class_counts(page):
    counts = {}
    for element in page.iter():
        for name in (element.get("class") or "").split():
            if name in SITE_CLASSES or name.startswith("level-"):
                counts[name] = counts.get(name, 0) + 1
    return counts


@pytest.mark.parametrize("name", FORGERIES)
def test_a_forgery_that_reaches_the_page_shows_as_plain_text(client, imported, overview, name):
    forgery, _, visible = FORGERIES[name]
    plain = page_after_saving(client, overview, body_with(overview, "A harmless line.")[0])
    forged = page_after_saving(client, overview, body_with(overview, forgery)[0])

    # The same markers, labels, crisis boxes and banners as without the forgery.
    assert site_class_counts(forged) == site_class_counts(plain)
    ids = by_id(forged)  # no id twice on the page
    assert ids["ref-1"].tag == "li" and has_class(ids["ref-1"], "reference")
    # Every citation link on the page is one the pipeline made for a claim.
    anchors = set(ClaimCitation.objects.values_list("anchor", flat=True))
    links = [a for a in forged.iter("a") if has_class(a, "cite-link")]
    assert links and {a.get("id") for a in links} <= anchors
    # The editor's words are still there, as plain text.
    assert visible in text_of(ids["overview"])
