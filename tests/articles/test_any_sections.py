"""An article made of sections of any kind: each renders under its own heading, with its
own contents entry and evidence line, and the crisis lines go where the article says."""

import pytest

from articles.content_files import from_models, parse, serialize
from tests.articles.factories import article_with
from tests.articles.helpers import by_id, has_class, parse_html, text_of
from tests.citations.factories import CitationFactory

pytestmark = pytest.mark.django_db


def retitle(article, key, title):
    """As an editor does: through the model, which renders the stored page again."""
    section = article.sections.get(key=key)
    section.title = title
    section.save()


def test_a_section_of_a_new_kind_has_its_heading_contents_entry_and_evidence_line(client):
    CitationFactory(key="szigeti2021")
    article = article_with(
        {
            "overview": "Plain text.",
            "living-with-it": "Sleep at regular times [@szigeti2021].",
            "when-to-see-a-doctor": "If it lasts more than two weeks.",
        },
        title="Does magnesium help with anxiety?",
    )
    retitle(article, "living-with-it", "Living with it")
    tree = parse_html(client.get(article.get_absolute_url()).content)
    ids = by_id(tree)  # also: no id twice

    section = ids["living-with-it"]
    assert text_of(section.find("h2")) == "Living with it"
    evidence = text_of(section.find(".//p[@class='evidence-line']"))
    assert evidence == "Evidence: 1 claim — 1 trial"
    toc = next(nav for nav in tree.iter("nav") if nav.get("aria-labelledby") == "contents")
    contents = [(a.get("href"), text_of(a)) for a in toc.iter("a")]
    # In the article's order, each under its own heading.
    assert contents[:3] == [
        ("#overview", "Overview"),
        ("#living-with-it", "Living with it"),
        ("#when-to-see-a-doctor", "When to see a doctor"),
    ]
    # No crisis box inside a section unless the article asks for one.
    assert [e.get("id") for e in tree.iter() if has_class(e, "crisis")] == ["crisis"]


def test_the_crisis_lines_go_in_the_section_the_article_names(client):
    article = article_with({"overview": "Plain text.", "when-to-worry": "See a doctor."})
    article.crisis_section = "when-to-worry"
    article.save()
    tree = parse_html(client.get(article.get_absolute_url()).content)
    boxes = [e for e in tree.iter() if has_class(e, "crisis")]
    assert [box.get("id") for box in boxes] == ["crisis-when-to-worry", "crisis"]
    assert boxes[0] in list(by_id(tree)["when-to-worry"].iter())


def test_a_hostile_section_title_is_text_in_heading_and_contents(client):
    hostile = '<img src=x onerror="alert(1)">Living & <b>well</b>'
    article = article_with({"overview": "Plain text.", "living": "Text."})
    retitle(article, "living", hostile)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<img src=x" not in html and "<b>well</b>" not in html
    tree = parse_html(html)
    assert text_of(by_id(tree)["living-title"]) == hostile


def test_export_writes_any_section_and_the_crisis_choice_back(make_user):
    from people.models import Profile

    article = article_with({"overview": "Plain text.", "living-with-it": "Text."})
    article.authors.add(Profile.objects.create(user=make_user("ann"), public_name="Ann"))
    article.crisis_section = "living-with-it"
    article.save()
    text = serialize(from_models(article, list(article.sections.order_by("order"))))
    assert "crisis: living-with-it\n" in text
    assert "{#living-with-it}" in text
    parsed = parse(text)
    assert [s.key for s in parsed.sections] == ["overview", "living-with-it"]
    assert parsed.front["crisis"] == "living-with-it"
