"""check_content and the admin refuse, naming the line: a verb stronger than the claim's
outcome allows, a published claim a source was found not to support, and a claim resting
only on sources nobody could find unless it says the original article said it. Claims not
yet checked are a warning; check_content prints every claim's certainty and support."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.articles.helpers import CONTENT

from .factories import OutcomeFactory

FRONT = """---
title: A test article
slug: test-article
summary: A summary.
authors: editor
published: 2026-01-01
updated: 2026-01-02
---

## Overview {#overview}

"""
OUTCOME = {
    "key": "mood", "question": "Does it lift mood?", "intervention": "microdosing",
    "outcome": "mood", "kind": "benefit", "direction": "improves", "comparison": "",
    "population": "", "studies": 3, "participants": 300, "effect": "little-or-none",
    "start": "high", "down": [
        {"domain": "imprecision", "levels": 1, "reason": "Few people."},
        {"domain": "indirectness", "levels": 1, "reason": "Healthy volunteers."}],
    "up": [], "citations": ["szigeti2021"],
}  # fmt: skip


def content_with(tmp_path, body, support=None):
    records = json.loads((CONTENT / "citations.json").read_text())
    wanted = [r for r in records if r["id"] in ("szigeti2021", "src-jps-2023-survey")]
    root = tmp_path / "content"
    for folder in ("articles", "outcomes", "support"):
        (root / folder).mkdir(parents=True)
    (root / "citations.json").write_text(json.dumps(wanted), encoding="utf-8")
    (root / "articles" / "test-article.md").write_text(FRONT + body + "\n", encoding="utf-8")
    (root / "outcomes" / "test-article.json").write_text(json.dumps([OUTCOME]))
    if support is not None:
        (root / "support" / "test-article.json").write_text(json.dumps(support))
    return root


def check(root):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("check_content", dir=str(root), stdout=out, stderr=err)
    except CommandError:
        return False, out.getvalue(), err.getvalue()
    return True, out.getvalue(), err.getvalue()


BASE = (
    "Trials found no benefit for mood [@szigeti2021; #mood]. "
    "The original article said a survey found less dissociation [@src-jps-2023-survey]."
)


def test_claims_that_fit_their_evidence_pass_and_every_claim_is_listed(tmp_path):
    ok, out, err = check(content_with(tmp_path, BASE))
    assert ok, err
    assert "line 12 [#mood low]: szigeti2021 not yet checked: “Trials found no benefit" in out
    assert "src-jps-2023-survey not yet checked: “The original article said" in out
    assert "2 claim-source pair(s) not yet checked (a warning)." in out


@pytest.mark.parametrize("verb", ["improves", "helps", "works for", "probably improves"])
def test_a_strong_verb_on_low_certainty_fails_with_its_line(tmp_path, verb):
    body = BASE + f"\n\nMicrodosing {verb} mood [@szigeti2021; #mood]."
    ok, _, err = check(content_with(tmp_path, body))
    assert not ok
    word = verb.split()[-1] if verb != "works for" else "works"
    assert (
        f"test-article.md, line 14 (section “Overview”, line 3): “Microdosing {verb} mood.”: "
        f"“{word}” states more than the evidence for “#mood” allows (low certainty)"
    ) in err
    ok, _, _ = check(content_with(tmp_path / "may", body.replace(verb, "may improve")))
    assert ok


def test_an_unknown_outcome_fails(tmp_path):
    ok, _, err = check(content_with(tmp_path, BASE + "\n\nA claim [@szigeti2021; #sleep]."))
    assert not ok
    assert "line 14 (section “Overview”, line 3): unknown outcome “#sleep”" in err


def test_a_published_claim_a_source_does_not_support_fails(tmp_path):
    support = [
        {
            "citation": "szigeti2021",
            "sentence": "Trials found no benefit for mood.",
            "support": "does-not-support",
            "pinpoint": "",
            "checked_by": "editor",
            "checked_on": "2026-12-01",
        }
    ]
    ok, out, err = check(content_with(tmp_path, BASE, support))
    assert not ok
    assert (
        "line 12 (section “Overview”, line 1): “Trials found no benefit for mood.” was checked "
        "against “szigeti2021”, which does not support it"
    ) in err
    assert "szigeti2021 does not support the claim" in out
    # Supported, with a pinpoint: fine, and no longer a warning.
    support[0].update(support="supports", pinpoint="Abstract: no difference from placebo")
    ok, out, err = check(content_with(tmp_path / "ok", BASE, support))
    assert ok, err
    assert "szigeti2021 supports the claim" in out
    assert "1 claim-source pair(s) not yet checked" in out


def test_a_claim_resting_only_on_sources_nobody_found_must_be_an_attribution(tmp_path):
    body = BASE + "\n\nA survey found less dissociation [@src-jps-2023-survey]."
    ok, _, err = check(content_with(tmp_path, body))
    assert not ok
    assert (
        "line 14 (section “Overview”, line 3): “A survey found less dissociation.” rests only "
        "on sources nobody could find"
    ) in err
    body = BASE + "\n\nIt described a survey with less dissociation [@src-jps-2023-survey]."
    assert check(content_with(tmp_path / "it", body))[0]


@pytest.mark.django_db
def test_the_admin_refuses_the_same_claims_with_the_line(client, make_user):
    from articles.models import Section
    from tests.articles.factories import article_with
    from tests.citations.factories import CitationFactory

    CitationFactory(key="trial")
    CitationFactory(key="lost", not_located=True)
    article = article_with({"overview": "Trials found no benefit for mood [@trial; #mood]."})
    OutcomeFactory(article=article, key="mood")  # low certainty
    section = Section.objects.get(article=article)
    editor = make_user("ed", groups=["Editors"])
    client.force_login(editor)
    url = f"/admin/articles/section/{section.pk}/change/"
    form = {
        "key": "overview",
        "title": "Overview",
        "order": "0",
        "change_note": "Edit",
        "opened_version": str(section.version),
    }
    body = "Fine [@trial; #mood].\n\nMicrodosing improves mood [@trial; #mood]."
    response = client.post(url, {**form, "body_markdown": body})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Line 3: “Microdosing improves mood.”: “improves” states more than" in page
    body = "Fine [@trial; #mood].\n\nA survey found less dissociation [@lost]."
    page = client.post(url, {**form, "body_markdown": body}).content.decode()
    assert "Line 3: “A survey found less dissociation.” rests only on sources" in page
    section.refresh_from_db()
    assert section.body_markdown == "Trials found no benefit for mood [@trial; #mood]."
