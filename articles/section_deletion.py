"""Deleting a section the way any other change is made: with a change note, recorded in
the history (and restorable from it), the article re-rendered at once so that no claim
number, reference or back-link points at the deleted text, and counted as a change since
the last medical review."""

from django.contrib import messages
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils.html import format_html

from core.revisions import note_limit

from .models import Section
from .public_changes import refresh_public_changes


class SectionDeletionMixin:
    delete_confirmation_template = "admin/articles/section/delete_confirmation.html"

    def get_actions(self, request):
        # The bulk action deletes without a note and without re-rendering the article.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        limit = note_limit(Section)
        note = " ".join(request.POST.get("change_note", "").split())
        errors = []
        if request.method == "POST":
            if not note:
                errors.append("Say what you deleted and why: the note is kept in the history.")
            elif limit and len(note) > limit:
                errors.append(f"The history keeps {limit} characters: shorten the note.")
        request.deletion_note = note
        request.deletion_public = bool(request.POST.get("public_change"))
        context = {
            **(extra_context or {}),
            "note_errors": errors,
            "note_limit": limit,
            "change_note": note,
            "public_change": request.deletion_public,
        }
        if errors:
            # Shown again with the reason: Django's view deletes on any non-empty POST.
            request.POST = QueryDict()
        return super().delete_view(request, object_id, context)

    @transaction.atomic
    def delete_model(self, request, obj):
        obj._change_reason = request.deletion_note
        obj._public_change = request.deletion_public
        pk, article = obj.pk, obj.article
        obj.delete()
        history = reverse("admin:articles_section_history", args=[pk])
        messages.info(
            request,
            format_html(
                "The article was rendered again without “{}”. To undo, open its "
                '<a href="{}">history</a> and restore the last revision.',
                obj.title,
                history,
            ),
        )
        transaction.on_commit(lambda: refresh_public_changes(article))


def deleted_sections(article):
    """The article's sections deleted and not restored: their last revision each."""
    live = set(article.sections.values_list("pk", flat=True))
    found = {}
    for record in Section.history.filter(article_id=article.pk).order_by("-history_date"):
        if record.id not in live and record.id not in found:
            found[record.id] = record
    return [r for r in found.values() if r.history_type == "-"]
