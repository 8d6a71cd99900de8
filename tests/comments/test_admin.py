"""Moderation in the Django admin: the queue, its count on the index, bulk actions,
the change form (decision, note, editorial reply with safe-messaging templates),
erasure by email, and who may do what."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from articles.models import Section
from comments import reply_templates
from comments.models import BlockedTerm, Comment, ModerationDecision, Status

from .conftest import approved
from .test_risk import BUYING, DOSE, SELF_HARM

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:comments_comment_changelist"


def changelist(**params):
    url = reverse(CHANGELIST)
    return url + ("?" + urlencode(params) if params else "")


def change_url(comment):
    return reverse("admin:comments_comment_change", args=[comment.pk])


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def editor(make_user):
    return make_user("ed", groups=["Editors"])


@pytest.fixture
def queue(article, post_comment):
    """Five pending comments posted through the form: two plain, three risky."""
    post_comment(article, body="Plain and early.", ua="r0")
    post_comment(article, body=BUYING, ua="r1")
    post_comment(article, body=DOSE, ua="r2")
    post_comment(article, body=SELF_HARM, ua="r3")
    post_comment(article, body="Plain and late.", ua="r4")
    return {c.body: c for c in Comment.objects.all()}


def save_change(client, comment, data):
    """POST the change form as a browser would, with the decisions inline's management
    form (the inline is read-only; its rows are sent back unchanged)."""
    decisions = list(ModerationDecision.objects.filter(comment=comment).order_by("-created"))
    # The version the form was opened at, as the page puts it in its hidden field.
    version = Comment.objects.values_list("version", flat=True).get(pk=comment.pk)
    payload = {
        "opened_version": version,
        "decisions-TOTAL_FORMS": len(decisions),
        "decisions-INITIAL_FORMS": len(decisions),
        "decisions-MIN_NUM_FORMS": 0,
        "decisions-MAX_NUM_FORMS": 1000,
        **{f"decisions-{i}-id": d.pk for i, d in enumerate(decisions)},
        **{f"decisions-{i}-comment": comment.pk for i in range(len(decisions))},
        "reply": "",
        "reply_template": "",
        **data,
    }
    return client.post(change_url(comment), payload)


def run_action(client, action, comments, confirmed=True):
    """Run a bulk action; reject, spam and erase ask first, so confirm (as the
    confirmation page's button does) unless told not to."""
    data = {"action": action, "_selected_action": [c.pk for c in comments], "index": 0}
    if confirmed:
        data["confirmed"] = "yes"
    return client.post(reverse(CHANGELIST), data)


# The queue -----------------------------------------------------------------------------


def test_index_shows_pending_count_to_moderators_only(client, mod_client, editor, queue):
    """The admin index shows moderators how many comments wait and how many need care;
    an editor's index does not."""
    html = mod_client.get(reverse("admin:index")).content.decode()
    assert 'id="moderation-queue"' in html
    assert "<strong>5</strong> comments waiting for moderation" in html
    assert "<strong>3</strong> need care" in html
    client.force_login(editor)
    assert 'id="moderation-queue"' not in client.get(reverse("admin:index")).content.decode()


def test_index_count_costs_one_query(mod_client, queue):
    """The count on the index is one aggregate query, not a query per comment."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        mod_client.get(reverse("admin:index"))
    counting = [q for q in queries if "comments_comment" in q["sql"]]
    assert len(counting) == 1


def test_pending_queue_lists_risky_first_with_reasons(mod_client, queue):
    """The pending queue lists the self-harm, dose and sourcing comments first, each with
    its reason, then the others oldest first."""
    html = mod_client.get(changelist(status__exact="pending")).content.decode()
    positions = [
        html.index(text[:30])
        for text in (SELF_HARM, DOSE, BUYING, "Plain and early.", "Plain and late.")
    ]
    assert positions == sorted(positions)
    assert "⚠ Mentions self-harm or suicide (&#x27;suicide&#x27;)" in html
    assert "⚠ Mentions dose amounts (&#x27;0.2g&#x27;)" in html
    assert "⚠ Mentions buying or sourcing (&#x27;where to buy&#x27;)" in html


def test_filters_and_search(mod_client, article, other_article, queue):
    """The list filters by status, article, date and risk flag, and searches text,
    names and email addresses."""
    old = Comment.objects.create(
        article=other_article,
        name="Old Timer",
        email="old@example.org",
        body="an old spam",
        status=Status.SPAM,
        created=timezone.now() - timedelta(days=400),
    )

    def listed(**params):
        html = mod_client.get(changelist(**params)).content.decode()
        return {body for body in [*queue, old.body] if body[:30] in html}

    assert listed(status__exact="spam") == {old.body}
    assert listed(article__id__exact=other_article.pk) == {old.body}
    assert listed(article__id__exact=article.pk) == set(queue)
    week_ago = (timezone.now() - timedelta(days=7)).isoformat()
    assert listed(created__lt=week_ago) == {old.body}
    assert listed(created__gte=week_ago) == set(queue)
    assert listed(risk="self-harm") == {SELF_HARM}
    assert listed(risk="dosing") == {DOSE}
    assert listed(risk="any") == {SELF_HARM, DOSE, BUYING}
    assert listed(q="old@example.org") == {old.body}
    assert listed(q="truffles") == {BUYING}


# Bulk actions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "status"),
    [("approve", Status.APPROVED), ("reject", Status.REJECTED), ("mark_spam", Status.SPAM)],
)
def test_bulk_actions_record_who_and_when(
    mod_client, moderator, queue, action, status, django_capture_on_commit_callbacks
):
    """Each bulk action sets the status, who moderated and when, adds an audit row per
    comment and retires the cached pages."""
    chosen = list(queue.values())[:3]
    asked = run_action(mod_client, action, chosen, confirmed=False)
    if action != "approve":  # reject and spam first list what they will act on
        assert asked.status_code == 200
        assert all(c.body[:40] in asked.content.decode() for c in chosen)
        assert Comment.objects.filter(status=Status.PENDING).count() == 5
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = run_action(mod_client, action, chosen)
    assert response.status_code == 302
    assert callbacks
    for comment in chosen:
        comment.refresh_from_db()
        assert comment.status == status
        assert comment.moderated_by == moderator and comment.moderated_at
        assert ModerationDecision.objects.filter(comment=comment, moderator=moderator).exists()
    assert Comment.objects.filter(status=Status.PENDING).count() == 2


def test_release_action_returns_spam_to_the_queue(mod_client, article, post_comment):
    """Spam (here a honeypot hit) is released by a moderator to the pending queue."""
    post_comment(article, body="Real person, autofill filled the trap", website="x")
    comment = Comment.objects.get()
    assert comment.status == Status.SPAM
    run_action(mod_client, "release", [comment])
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_editor_cannot_moderate(client, editor, queue):
    """An editor can neither see the comments admin nor run an action on a comment."""
    client.force_login(editor)
    assert client.get(reverse(CHANGELIST)).status_code == 403
    assert run_action(client, "approve", queue.values()).status_code == 403
    assert client.get(change_url(next(iter(queue.values())))).status_code == 403
    assert client.get(reverse("admin:comments_comment_erase")).status_code == 403
    assert not Comment.objects.filter(status=Status.APPROVED).exists()


def test_actions_hidden_without_moderate_permission(client, make_user, queue):
    """A staff user who may view and change comments but lacks moderate_comment sees no
    moderation action, cannot run one, and cannot change the status in the form."""
    user = make_user("viewer")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="comments", codename__in=["view_comment", "change_comment"]
        )
    )
    client.force_login(user)
    html = client.get(reverse(CHANGELIST)).content.decode()
    for action in ("approve", "reject", "mark_spam", "release", "erase_selected"):
        assert f'value="{action}"' not in html
    run_action(client, "approve", queue.values())
    assert not Comment.objects.filter(status=Status.APPROVED).exists()
    comment = next(iter(queue.values()))
    save_change(client, comment, {"status": "approved", "moderation_note": "x"})
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_moderator_cannot_edit_sections(client, moderator, article):
    """A moderator may read sections but not change them."""
    section = Section.objects.get(article=article)
    assert not moderator.has_perm("articles.change_section")
    client.force_login(moderator)
    url = reverse("admin:articles_section_change", args=[section.pk])
    response = client.post(url, {"title": "Hacked", "body_markdown": "hacked", "order": 0})
    assert response.status_code == 403
    section.refresh_from_db()
    assert section.title == "Overview" and section.body_markdown == "x"


# The change form -----------------------------------------------------------------------


def test_change_form_decision_and_note(mod_client, moderator, queue):
    """Changing the status in the form is a recorded decision, with the moderation note."""
    comment = queue["Plain and early."]
    response = save_change(
        mod_client,
        comment,
        {"status": "rejected", "moderation_note": "Off topic", "reply": "", "reply_template": ""},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.moderation_note) == (Status.REJECTED, "Off topic")
    assert comment.moderated_by == moderator
    decision = ModerationDecision.objects.get(comment=comment)
    assert (decision.status, decision.note) == (Status.REJECTED, "Off topic")


def test_reader_words_cannot_be_edited(mod_client, queue):
    """The reader's name, email and text are read-only in the admin."""
    comment = queue["Plain and early."]
    save_change(
        mod_client,
        comment,
        {"status": "pending", "moderation_note": "", "body": "edited", "name": "edited"},
    )
    comment.refresh_from_db()
    assert comment.body == "Plain and early." and comment.name == "Sam"


def test_change_form_offers_safe_messaging_templates(mod_client, queue):
    """A risky comment's page lists the safe-messaging guidance and templates, suggesting
    the one that fits its flag."""
    html = mod_client.get(change_url(queue[SELF_HARM])).content.decode()
    assert "Replying safely" in html
    assert "Never describe a method, an amount, a dose" in html
    assert "Suggested for this comment:</strong> Thoughts of self-harm or suicide" in html
    assert 'id="reply-templates"' in html and "/static/comments/reply-templates." in html
    self_harm = reply_templates.BY_KEY["self-harm"].text
    assert "crisis box" in self_harm and "emergency number" in self_harm


def test_safe_messaging_templates_carry_no_method_or_dose_detail():
    """No reply template names an amount, a unit or a way to get a substance."""
    from comments.risk import assess

    for template in reply_templates.TEMPLATES:
        flags = assess(template.text).flags
        assert "dosing" not in flags and "sourcing" not in flags, template.key
        assert "crisis box" in template.text or template.key == "thanks"


def test_reply_as_editorial_team(client, mod_client, moderator, article):
    """A moderator approves a comment and replies from its page: the reply shows on the
    article, marked as from the editorial team; a template left as is is sent as is."""
    comment = approved(article, body="Is there any help for this?")
    save_change(
        mod_client,
        comment,
        {"status": "approved", "moderation_note": "", "reply": "We hear you. See the crisis box."},
    )
    save_change(
        mod_client,
        comment,
        {"status": "approved", "moderation_note": "", "reply": "", "reply_template": "distress"},
    )
    replies = Comment.objects.filter(parent=comment, is_editorial=True)
    assert [r.body for r in replies] == [
        "We hear you. See the crisis box.",
        reply_templates.BY_KEY["distress"].text,
    ]
    assert all(r.status == Status.APPROVED and r.moderated_by == moderator for r in replies)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Reply from the editorial team" in html and "We hear you." in html


def test_no_add_page(mod_client):
    """Comments are written by readers on the site, not added in the admin."""
    assert mod_client.get(reverse("admin:comments_comment_add")).status_code == 403


# Erasure -------------------------------------------------------------------------------


def test_erase_by_email_with_confirmation(mod_client, article, moderator):
    """A moderator enters an email address, sees how many comments match, confirms, and
    every comment left with it is erased and recorded."""
    for i in range(2):
        Comment.objects.create(
            article=article, name="Jo", email="jo@example.org", body=f"story {i}"
        )
    keep = Comment.objects.create(article=article, name="Al", email="al@example.org", body="mine")
    url = reverse("admin:comments_comment_erase")
    assert mod_client.get(url).status_code == 200
    html = mod_client.post(url, {"email": "JO@example.org"}).content.decode()
    assert "<strong>2 comments</strong> were left with" in html
    assert Comment.objects.filter(email="jo@example.org").count() == 2  # not yet
    response = mod_client.post(url, {"email": "JO@example.org", "confirm": "1"})
    assert response.status_code == 302
    erased = Comment.objects.exclude(pk=keep.pk)
    assert all(c.erased_at and not c.body and not c.email and not c.name for c in erased)
    assert (
        ModerationDecision.objects.filter(
            moderator=moderator, note="Commenter's data erased on request."
        ).count()
        == 2
    )
    keep.refresh_from_db()
    assert keep.body == "mine"
    listing = mod_client.get(reverse(CHANGELIST)).content.decode()
    assert "(erased on request)" in listing


def test_erase_action_for_comments_without_email(mod_client, article):
    """Comments left without an address are erased by selecting them."""
    comment = Comment.objects.create(article=article, name="Anon", body="no email")
    run_action(mod_client, "erase_selected", [comment])
    comment.refresh_from_db()
    assert comment.erased_at and comment.body == ""


# Blocklist -----------------------------------------------------------------------------


def test_moderators_edit_the_blocklist(mod_client):
    """Moderators add blocked words and domains; a domain is stored in its plain form."""
    url = reverse("admin:comments_blockedterm_add")
    response = mod_client.post(
        url, {"kind": "domain", "value": "https://www.Pills.Example/buy", "note": ""}
    )
    assert response.status_code == 302
    assert BlockedTerm.objects.get().value == "pills.example"


def test_change_form_shows_the_decision_trail(mod_client, moderator, queue):
    """A comment's page lists every decision: what, who and when."""
    comment = queue["Plain and early."]
    save_change(mod_client, comment, {"status": "spam", "moderation_note": "Looks automated"})
    html = mod_client.get(change_url(comment)).content.decode()
    assert "Decisions (who moderated and when)" in html
    trail = html[html.index("Decisions (who moderated and when)") :]
    assert "Spam" in trail and "mod" in trail and "Looks automated" in trail


def test_editorial_reply_can_be_corrected(
    client, mod_client, moderator, article, django_capture_on_commit_callbacks
):
    """The text of an editorial reply (not a reader's) can be corrected in the admin, and
    readers see the correction at once."""
    from comments import moderation

    reply = moderation.reply(approved(article), "Thnaks for asking.", moderator)
    client.get(article.get_absolute_url())  # cache the page
    with django_capture_on_commit_callbacks(execute=True):
        response = save_change(
            mod_client,
            reply,
            {"status": "approved", "moderation_note": "", "body": "Thanks for asking."},
        )
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.body == "Thanks for asking."
    client.logout()
    assert "Thanks for asking." in client.get(article.get_absolute_url()).content.decode()
