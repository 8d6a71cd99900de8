"""Safe editing in the admin, shared by articles, sections and citations.

Every save records who, when, a change note and the content (django-simple-history);
a save based on an outdated copy is refused, never merged silently (an optimistic
version check); editors can compare any two revisions and revert, and a revert is
itself a new revision.
"""

import difflib
import re

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core import validators
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from .changelist import SafeListsMixin
from .text import without_invalid_characters

TOKENS = re.compile(r"\s+|[^\s]+")
# Unchanged lines kept around each change; longer unchanged stretches are folded, so an
# editor sees the change without scrolling through the whole section.
CONTEXT_LINES = 2


def unchanged(text, first, last):
    """Escaped HTML for an unchanged stretch, folded when it runs over many lines.

    The stretch starts on the line of the previous change (unless `first`) and ends on
    the line of the next one (unless `last`): those partial lines always stay."""
    lines = text.split("\n")
    keep = CONTEXT_LINES + 1
    head = [] if first else lines[:keep]
    tail = [] if last else lines[-keep:]
    folded = len(lines) - len(head) - len(tail)
    if first and last or folded < 3:
        return escape(text)
    marker = f'<span class="diff-skip">… {folded} unchanged lines …</span>'
    parts = [escape("\n".join(head)) + "\n"] if head else []
    parts.append(marker)
    if tail:
        parts.append("\n" + escape("\n".join(tail)))
    return "".join(parts)


def inline_diff(old, new):
    """Word-level diff of two texts as escaped HTML with <del> and <ins>."""
    old_tokens, new_tokens = TOKENS.findall(old or ""), TOKENS.findall(new or "")
    out = []
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    opcodes = matcher.get_opcodes()
    for n, (op, a1, a2, b1, b2) in enumerate(opcodes):
        if op == "equal":
            text = "".join(old_tokens[a1:a2])
            out.append(unchanged(text, first=n == 0, last=n == len(opcodes) - 1))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(old_tokens[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(new_tokens[b1:b2]))}</ins>")
    return mark_safe("".join(out))


def field_diffs(model, old, new):
    """[(label, diff html)] for each tracked field that differs between two revisions."""
    diffs = []
    for field in model._meta.concrete_fields:
        if field.name in ("id", "version") or not field.editable:
            continue
        before = getattr(old, field.attname, "") if old is not None else ""
        after = getattr(new, field.attname, "")
        if before != after:
            diffs.append((field.verbose_name, inline_diff(str(before or ""), str(after or ""))))
    return diffs


def note_limit(model):
    """The longest change note the history table holds (django-simple-history's column is
    100 characters unless SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD is set;
    PostgreSQL refuses a longer one with an error, SQLite would keep it)."""
    return model.history.model._meta.get_field("history_change_reason").max_length


class RevisionForm(forms.ModelForm):
    """Adds a change note, the "public change" flag and the version the editor opened."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_note = forms.CharField(
        label="Change note",
        help_text="What you changed and why, in a sentence. Kept in the history.",
        error_messages={"required": "Say what you changed: the note is kept in the history."},
    )
    public_change = forms.BooleanField(
        label="List this change under “What changed” on the public page",
        required=False,
    )
    # After a refused save: the version the editor was shown, and their confirmation that
    # they merged it. Rendered in the conflict box (admin/revisions/change_form.html).
    conflict_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    merged = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        limit = note_limit(self._meta.model)
        if limit:
            note = self.fields["change_note"]
            note.max_length = limit
            note.validators.append(validators.MaxLengthValidator(limit))
            note.widget.attrs["maxlength"] = str(limit)
        if self.instance.pk:
            # None: restoring a deleted object from its history.
            self.fields["opened_version"].initial = self.current_version()

    def current_version(self):
        """The version the editor starts from: the one in the database now (not the one
        of a historical copy being reverted to)."""
        return (
            type(self.instance)
            .objects.filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )

    def needs_version_check(self):
        """Whether this save could overwrite someone else's (a form for an object that
        exists; a form that saves nothing may say no)."""
        return self.instance.pk is not None

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                # Invisible controls (a vertical tab pasted from a word processor) would
                # make the page malformed and the Atom feed impossible to build.
                cleaned[name] = without_invalid_characters(value)
        if self.needs_version_check():
            self.check_version(cleaned.get("opened_version"))
        return cleaned

    def check_version(self, opened):
        model = type(self.instance)
        # Locked until the admin's transaction ends, so two saves cannot both pass.
        current = model.objects.select_for_update().filter(pk=self.instance.pk).first()
        if current is None:
            return  # restoring a deleted object from its history: nothing to overwrite
        if opened == current.version:
            return
        confirmed = self.cleaned_data.get("conflict_version") == current.version and (
            self.cleaned_data.get("merged")
        )
        if confirmed:
            # The editor saw exactly this version's change and says they merged it.
            self.cleaned_data["opened_version"] = current.version
            return
        if opened is None:
            # Not a form this admin rendered (or a tampered one): never save it blind.
            self.data = self.data.copy()
            self.data[self.add_prefix("opened_version")] = current.version
            raise forms.ValidationError(
                "This form did not say which version you started from, so nothing was "
                "saved. Check the text below against the current version, then save again.",
                code="no_version",
            )
        latest = current.history.select_related("history_user").first()
        base = current.history.filter(version=opened).order_by("-history_date").first()
        self.conflict = {
            "user": getattr(latest, "history_user", None),
            "date": getattr(latest, "history_date", None),
            "note": getattr(latest, "history_change_reason", ""),
            "diffs": field_diffs(model, base, current),
        }
        # The form shown again stays refused until the editor ticks "I have merged"
        # for exactly this version (a plain second Save would overwrite the other
        # change); then it goes through without a reload that would lose their text.
        self.data = self.data.copy()
        self.data[self.add_prefix("conflict_version")] = current.version
        self.data.pop(self.add_prefix("merged"), None)
        self.conflict["version"] = current.version
        who = self.conflict["user"] or "Another editor"
        raise forms.ValidationError(
            f"{who} saved this {model._meta.verbose_name} after you opened it. Nothing was "
            "saved: your text is kept below. Compare it with their change (shown above the "
            "form), merge by hand, tick “I have merged their change” and save again.",
            code="conflict",
        )


class RevisionAdmin(SafeListsMixin, SimpleHistoryAdmin):
    """Admin for models with a `version` field and revision history."""

    change_form_template = "admin/revisions/change_form.html"
    object_history_template = "admin/revisions/object_history.html"
    object_history_form_template = "admin/revisions/object_history_form.html"
    revision_fieldset = ("Save", {"fields": ("change_note", "public_change", "opened_version")})

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data.get("change_note", "")
        obj._public_change = form.cleaned_data.get("public_change", False)
        if change:
            obj.version = (form.cleaned_data.get("opened_version") or obj.version) + 1
        super().save_model(request, obj, form, change)

    def render_change_form(self, request, context, *args, **kwargs):
        form = context["adminform"].form
        context["conflict"] = getattr(form, "conflict", None)
        return super().render_change_form(request, context, *args, **kwargs)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{info[0]}_{info[1]}_compare",
            ),
        ] + super().get_urls()

    def checked_id(self, value, field=None):
        """An id from the URL as the database takes it, or 404: django-simple-history and
        get_object_or_404 pass "abc" (or "²", which str.isdigit() accepts) straight to an
        integer lookup, which raises ValueError: a 500 for any odd URL."""
        field = field or self.opts.pk
        try:
            return field.to_python(unquote(value))
        except ValidationError:
            raise Http404("No such object.") from None

    def history_view(self, request, object_id, extra_context=None):
        self.checked_id(object_id)
        return super().history_view(request, object_id, extra_context)

    @transaction.atomic
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.checked_id(object_id)
        self.checked_id(version_id, self.model.history.model._meta.pk)
        # django-simple-history lets anyone who may *view* the history post this form,
        # and the post saves: a revert is a change and needs the change permission.
        if request.method == "POST":
            obj = self.model.objects.filter(pk=unquote(object_id)).first()
            # Restoring a deleted object needs the right to add one.
            request.restoring = obj is None
            allowed = (
                self.has_add_permission(request)
                if obj is None
                else self.has_change_permission(request, obj)
            )
            if not allowed:
                raise PermissionDenied
        extra_context = {**(extra_context or {}), "reverting": True}
        return super().history_form_view(request, object_id, version_id, extra_context)

    def compare_view(self, request, object_id):
        obj = get_object_or_404(self.model, pk=self.checked_id(object_id))
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        history = obj.history.select_related("history_user")
        ids = request.GET.getlist("revision")
        if ids and (len(ids) != 2 or not all(i.isascii() and i.isdigit() for i in ids)):
            # Ticked one box, or three: say so rather than compare something else.
            messages.warning(request, "Tick exactly two revisions to compare them.")
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_history", obj.pk)
        if not ids:  # "Compare revisions" on the change form: the last change
            records = list(history[:2])
            if len(records) < 2:
                records = records * 2
            new, old = records
        else:
            old, new = sorted(
                [get_object_or_404(history, history_id=i) for i in ids],
                key=lambda record: record.history_date,
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "title": f"Compare revisions: {obj}",
            "old": old,
            "new": new,
            "diffs": field_diffs(self.model, old, new),
            "revert_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_simple_history",
                args=[obj.pk, old.history_id],
            ),
            "can_revert": self.has_change_permission(request, obj),
        }
        return TemplateResponse(request, "admin/revisions/compare.html", context)
