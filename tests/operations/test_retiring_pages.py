"""Cached pages are retired once, when the change commits, after the new HTML is stored:
retired earlier, a reader's request in between would store the old page under the new
content version, and readers would get it until the next change."""

import pytest
from django.core.cache import cache
from django.db import transaction

from core.cache import VERSION_KEY
from tests.support.content import SLUG


@pytest.fixture
def section(transactional_db, imported):
    """The real overview, committed: the test watches what happens when saves commit."""
    return imported.sections.get(key="overview")


@pytest.fixture
def retirements(monkeypatch):
    """What the stored overview HTML was each time the content version was bumped."""
    from articles.models import Section

    seen = []
    real_set = cache.set

    def watching_set(key, value, *args, **kwargs):
        if key == VERSION_KEY:
            seen.append(Section.objects.get(key="overview", article__slug=SLUG).body_html)
        return real_set(key, value, *args, **kwargs)

    monkeypatch.setattr(cache, "set", watching_set)
    return seen


def test_a_save_from_a_script_retires_pages_once_after_the_html_is_stored(section, retirements):
    section.body_markdown += "\n\nA sentence added from a script."
    section.save()
    assert len(retirements) == 1
    assert "A sentence added from a script." in retirements[0]


def test_a_change_in_a_transaction_retires_pages_once_when_it_commits(section, retirements):
    with transaction.atomic():
        section.body_markdown += "\n\nFirst addition."
        section.save()
        section.body_markdown += "\n\nSecond addition."
        section.save()
        assert retirements == []  # nothing committed yet
    assert len(retirements) == 1
    assert "Second addition." in retirements[0]


def test_an_editor_save_retires_pages_after_the_html_is_stored(section, retirements, make_user):
    from django.test import Client

    from tests.editors.conftest import change_url, form_data

    editor = Client()
    editor.force_login(make_user("edith", groups=["Editors"]))
    data = form_data(editor.get(change_url(section)))
    data["body_markdown"] += "\n\nAn editor's addition."
    data["change_note"] = "Added a sentence."
    assert editor.post(change_url(section), data).status_code == 302
    # Once for the edit; the public change log, refreshed after it, may retire again.
    assert retirements and all("An editor's addition." in html for html in retirements)


def test_a_change_rolled_back_retires_nothing(section, retirements):
    with pytest.raises(RuntimeError), transaction.atomic():
        section.body_markdown += "\n\nNever stored."
        section.save()
        raise RuntimeError
    assert retirements == []
    section.body_markdown += "\n\nStored after all."
    section.save()
    assert len(retirements) == 1
