"""The reviewer's page: everything that changed in an article since its last signed
review (sections, outcomes, sources, claim checks) as one escaped diff, signed from there.
Editors may read it; only reviewers sign."""

import pytest

from articles.models import Review
from articles.reviews import sign_review
from certainty.models import Outcome
from citations.models import Citation
from people.models import Profile
from tests.editors.conftest import form_data, form_errors, parse, post, post_change, text_of

pytestmark = pytest.mark.django_db

OLD = "This page is for people with derealization who wonder about mushrooms."
NEW = "This page is for people with derealization who ask about mushrooms."


def review_url(article):
    return f"/admin/articles/article/{article.pk}/review/"


def changes(client, article):
    """The page as a tree, and its changed and unchanged items as {title: element}."""
    response = client.get(review_url(article))
    assert response.status_code == 200
    tree = parse(response.content)
    items = {"changed": {}, "unchanged": {}}
    for div in tree.iter("div"):
        classes = (div.get("class") or "").split()
        if "review-change" in classes:
            title = text_of(div.find("h4")).rsplit(" (", 1)[0]
            items["unchanged" if "review-unchanged" in classes else "changed"][title] = div
    return tree, items


def summary(tree):
    return text_of(next(p for p in tree.iter("p") if p.get("class") == "review-summary"))


def words(div, tag):
    return [text_of(e) for e in div.iter(tag)]


def signed(article, reviewer):
    import datetime

    from django.utils import timezone

    profile = Profile.objects.get(user=reviewer)
    due = timezone.localdate() + datetime.timedelta(days=100)
    sign_review(article, profile, due)
    article.refresh_from_db()


def edit(client, section, text, note="Plainer words."):
    response = post_change(client, section, body_markdown=text, change_note=note)
    assert response.status_code == 302, form_errors(response)


def test_with_no_signed_review_everything_is_new(editor_client, imported):
    tree, items = changes(editor_client, imported)
    titles = list(imported.sections.order_by("order").values_list("title", flat=True))
    assert [t for t in items["changed"] if t in titles] == titles
    assert items["unchanged"] == {}
    overview = items["changed"]["Overview"]
    assert "(New)" in text_of(overview.find("h4"))
    assert OLD in " ".join(words(overview, "ins"))
    # The outcomes and the sources the article cites are new too.
    outcome = Outcome.objects.filter(article=imported).first()
    assert outcome.question in items["changed"]
    assert "szigeti2021" in items["changed"]
    assert "Everything is new" in text_of(tree.find(".//h2[@id='changes-title']"))


def test_a_changed_section_shows_the_old_and_new_words(
    editor_client, reviewer_client, reviewer, imported, overview
):
    # A change the reviewer signed is not shown again: the diff starts at the signature.
    edit(editor_client, overview, overview.body_markdown + "\n\nA sentence they reviewed.")
    signed(imported, reviewer)
    overview.refresh_from_db()
    edit(editor_client, overview, overview.body_markdown.replace(OLD, NEW))

    tree, items = changes(reviewer_client, imported)
    assert summary(tree).startswith("1 change to check")
    assert list(items["changed"]) == ["Overview"]
    diff = items["changed"]["Overview"]
    assert "(Changed)" in text_of(diff.find("h4"))
    assert words(diff, "del") == ["wonder"] and words(diff, "ins") == ["ask"]
    # Said in words to a screen reader, not only by colour and line style.
    assert "[removed: wonder]" in text_of(diff) and "[added: ask]" in text_of(diff)
    # The rest is folded away as unchanged, text kept for whoever wants to reread it.
    others = imported.sections.exclude(pk=overview.pk).values_list("title", flat=True)
    assert set(others) <= set(items["unchanged"])
    assert tree.find(".//details[@class='review-unchanged']") is not None
    assert all(not words(div, "ins") for div in items["unchanged"].values())


def test_signing_from_the_page_starts_the_next_diff_there(
    editor_client, reviewer_client, imported, overview
):
    data = {**form_data(reviewer_client.get(review_url(imported))), "checked": "on"}
    response = post(reviewer_client, review_url(imported), data)
    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.last_review is not None

    tree, items = changes(reviewer_client, imported)
    assert summary(tree).startswith("No changes since the last signed review")
    assert items["changed"] == {}
    # Only the legend's examples are marked up.
    assert [text_of(e) for e in tree.iter("del")] == ["struck through"]
    assert [text_of(e) for e in tree.iter("ins")] == ["underlined"]

    edit(editor_client, overview, overview.body_markdown.replace(OLD, NEW))
    tree, items = changes(reviewer_client, imported)
    assert list(items["changed"]) == ["Overview"]


def test_an_editor_reads_the_page_but_cannot_sign(editor_client, editor, imported):
    response = editor_client.get(review_url(imported))
    assert response.status_code == 200
    assert "Only a medical reviewer can sign" in text_of(parse(response.content))
    assert not [i for i in parse(response.content).iter("input") if i.get("name") == "checked"]
    response = editor_client.post(
        review_url(imported), {"checked": "on", "next_review_due": "2099-01-01"}
    )
    assert response.status_code == 403
    assert not Review.objects.filter(article=imported).exists()


def test_a_save_after_the_page_was_opened_is_not_signed_unseen(
    editor_client, reviewer_client, reviewer, imported, overview
):
    signed(imported, reviewer)
    opened = reviewer_client.get(review_url(imported))
    edit(editor_client, overview, overview.body_markdown.replace(OLD, NEW))

    data = {**form_data(opened), "checked": "on"}
    response = post(reviewer_client, review_url(imported), data)
    assert response.status_code == 200
    assert "changed while you were reading it" in text_of(parse(response.content))
    assert Review.objects.filter(article=imported).count() == 1
    # The page shown again has the new change and signs it once read.
    assert NEW.split()[-3] in response.content.decode()
    response = post(reviewer_client, review_url(imported), {**form_data(response), "checked": "on"})
    assert response.status_code == 302
    assert Review.objects.filter(article=imported).count() == 2


def test_hostile_text_in_a_section_is_shown_as_text(
    editor_client, reviewer_client, reviewer, imported, overview
):
    signed(imported, reviewer)
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    overview.title = f"Overview {hostile}"
    overview.body_markdown = overview.body_markdown.replace(OLD, f"`{hostile}` {OLD}")
    overview.save()

    response = reviewer_client.get(review_url(imported))
    html = response.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    _tree, items = changes(reviewer_client, imported)
    diff = next(div for title, div in items["changed"].items() if title.startswith("Overview"))
    assert any(hostile in w for w in words(diff, "ins"))


def test_outcomes_sources_and_removed_sections_are_listed(
    editor_client, reviewer_client, reviewer, imported
):
    signed(imported, reviewer)
    outcome = Outcome.objects.filter(article=imported).first()
    outcome.population = "Adults who microdose, studied online"
    outcome.save()
    source = Citation.objects.get(key="szigeti2021")
    source.pages = "e61457-corrected"
    source.save()
    imported.crisis_section = "overview"
    imported.save()
    faq = imported.sections.get(key="faq")
    with_note = post(
        editor_client,
        f"/admin/articles/section/{faq.pk}/delete/",
        {"post": "yes", "change_note": "Answers moved into the sections."},
    )
    assert with_note.status_code == 302

    _tree, items = changes(reviewer_client, imported)
    changed = items["changed"]
    assert "(Changed)" in text_of(changed[outcome.question].find("h4"))
    assert "Adults who microdose, studied online" in " ".join(
        words(changed[outcome.question], "ins")
    )
    assert "e61457-corrected" in " ".join(words(changed["szigeti2021"], "ins"))
    assert "(Removed)" in text_of(changed[faq.title].find("h4"))
    assert "szigeti2021" not in items["unchanged"]
    crisis = changed["Crisis box"]
    assert words(crisis, "del") == ["#risks"] and words(crisis, "ins") == ["#overview"]


def test_the_page_reads_a_fixed_number_of_queries(
    reviewer_client, reviewer, editor_client, imported, django_assert_max_num_queries
):
    """Sections, outcomes, sources and claim checks each come in one query, then and
    now, however many there are: no query per section or per source."""
    signed(imported, reviewer)
    for section in imported.sections.all()[:3]:
        edit(editor_client, section, section.body_markdown + "\n\nOne more sentence.")
    with django_assert_max_num_queries(19):
        response = reviewer_client.get(review_url(imported))
    assert response.status_code == 200


def test_the_review_list_links_each_article_to_its_review(editor_client, imported):
    page = parse(editor_client.get("/admin/articles/article/").content)
    links = [a for a in page.iter("a") if a.get("href") == review_url(imported)]
    assert [text_of(a) for a in links] == ["Not reviewed"]


def test_a_section_moved_among_the_others_is_a_change(reviewer_client, reviewer, imported):
    """Moving the FAQ to the top changes what readers see first: the reviewer is told it
    moved, and the sections it only pushed along are not listed as moved."""
    from django.db.models import F

    signed(imported, reviewer)
    imported.sections.exclude(key="faq").update(order=F("order") + 1)
    faq = imported.sections.get(key="faq")
    faq.order = 0
    faq.save()

    _tree, items = changes(reviewer_client, imported)
    assert list(items["changed"]) == [faq.title]
    moved = items["changed"][faq.title]
    assert "(Moved)" in text_of(moved.find("h4"))
    count = imported.sections.count()
    assert text_of(moved.find("p")) == (
        f"Moved from position {count} to 1 among the sections; the text is unchanged."
    )
    assert moved.find(".//div[@class='diff']") is None
