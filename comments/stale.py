"""Decisions based on an outdated view of a comment are refused, not applied.

Every decision moves the comment's `version`. The change form carries the version the
moderator opened, the list carries one per row; a decision made from an older one is
refused with what happened since (who decided what, and when), as an edit to an article
is (core.revisions). Otherwise a form opened before a colleague rejected a comment would
silently publish it.
"""

from django import forms
from django.utils import timezone

from .models import ModerationDecision


def describe(comment_pk):
    """The comment's latest decision, in words: "bob rejected it on 1 May at 10:02 (…)"."""
    decision = (
        ModerationDecision.objects.filter(comment_id=comment_pk)
        .select_related("moderator")
        .order_by("-created", "-pk")
        .first()
    )
    if decision is None:
        return "someone else changed it"
    when = timezone.localtime(decision.created)
    who = decision.moderator.get_username() if decision.moderator else "reader reports"
    text = f"{who} set it to “{decision.get_status_display().lower()}” on {when:%d %b at %H:%M}"
    if decision.note:
        text += f" (note: “{decision.note}”)"
    return text


class StaleDecision(Exception):
    """Some comments changed after the moderator's view of them: nothing was decided."""

    def __init__(self, comment_pks):
        self.comment_pks = sorted(comment_pks)
        super().__init__(self.explanation())

    def explanation(self):
        changes = "; ".join(f"comment {pk}: {describe(pk)}" for pk in self.comment_pks)
        return f"Changed since you looked: {changes}."


def check(current, opened):
    """Raise StaleDecision unless every comment in `opened` ({pk: version}) is still at
    that version. `current` is {pk: version} read under a row lock."""
    stale = [pk for pk, version in opened.items() if pk in current and current[pk] != version]
    if stale:
        raise StaleDecision(stale)


def posted_versions(post):
    """{pk: version} for the rows a moderator ticked in the list (each row carries the
    version it showed). A row without one (selected across pages, unseen) is decided as
    it stands now."""
    versions = {}
    for pk in post.getlist("_selected_action"):
        version = post.get(f"version-{pk}", "")
        if pk.isascii() and pk.isdigit() and version.isascii() and version.isdigit():
            versions[int(pk)] = int(version)
    return versions


class OpenedVersionForm(forms.ModelForm):
    """A moderation form that carries the version the moderator opened and refuses a
    save based on an older one, saying what happened since."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        # Only where a decision can be made: a read-only form decides nothing.
        if self.instance.pk and "status" in self.fields:
            self.check_opened_version(cleaned.get("opened_version"))
        return cleaned

    def check_opened_version(self, opened):
        # Locked until the admin's transaction ends, so two saves cannot both pass.
        current = (
            type(self.instance)
            .objects.select_for_update()
            .values_list("version", flat=True)
            .get(pk=self.instance.pk)
        )
        if opened == current:
            return
        # Shown again, the form starts from the current version: once the moderator has
        # seen what changed, saving again applies their decision.
        self.data = self.data.copy()
        self.data[self.add_prefix("opened_version")] = current
        if opened is None:
            raise forms.ValidationError(
                "This form did not say which version of the comment you saw, so nothing "
                "was saved. Check the comment below, then save again.",
                code="no_version",
            )
        raise forms.ValidationError(
            f"Nothing was saved: after you opened this comment, {describe(self.instance.pk)}. "
            "Check it below, then save again if your decision should stand.",
            code="stale",
        )
