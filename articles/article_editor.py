"""The article screen's sections: edited inline on the article's change form.

One save checks the whole article with the rules `manage.py check_content` applies
(validation.py), refuses a section someone else saved since the form was opened (each
section's own version, as on its own form), saves every changed section under the
article's one change note, and renders the article once. "Preview" renders the whole
article as posted, with its reading grades, and saves nothing.

Works without JavaScript: empty rows are always there for new sections, and removing
one is a checkbox.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.safestring import mark_safe

from core.revisions import RevisionForm

from .claim_rules import ClaimContext, context_for, unchecked_warnings
from .content_files import SectionText
from .models import Section, SectionKey
from .readability import article_readability, readability
from .rerendering import citation_index, rerender
from .reviews import mark_content_changed
from .validation import check_sections

MARKDOWN_HELP = mark_safe(
    "Markdown. Cite a claim with <code>[@key]</code> or <code>[@a; @b]</code> "
    "right after it; FAQ questions are <code>### Question?</code>; notes are "
    '<code>!!! note "What the research shows"</code> with the text indented '
    "four spaces. Raw HTML is not allowed."
)

STANDARD, BLANK = "standard", "blank"
START_CHOICES = {
    STANDARD: "the standard sections",
    BLANK: "blank",
}
BLANK_ROWS = 3  # rows for new sections on a blank article, without JavaScript
MORE_ROWS = 2  # empty rows under an existing article's sections


def start_of(request):
    """How a new article starts: from the standard sections (default) or blank."""
    value = request.POST.get("start") or request.GET.get("start")
    return value if value in START_CHOICES else STANDARD


def as_text(value):
    return str(value if value is not None else "").replace("\r\n", "\n").strip()


def template_rows():
    return [
        {"order": order, "key": key, "title": label}
        for order, (key, label) in enumerate(SectionKey.choices)
    ]


class SectionRowForm(RevisionForm):
    """One section on the article screen: its text and the version it was opened at.
    The change note is the article's: one per save."""

    from_template = False  # a standard section a new article starts with, saved as is

    class Meta:
        model = Section
        fields = ["order", "key", "title", "body_markdown"]
        widgets = {
            "order": forms.NumberInput(attrs={"class": "vIntegerField", "min": 0}),
            "body_markdown": forms.Textarea(attrs={"class": "markdown-editor", "rows": 16}),
        }
        help_texts = {
            "order": "Sections are shown by this number, lowest first.",
            "body_markdown": MARKDOWN_HELP,
        }

    TEXT = ("order", "key", "title", "body_markdown")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["change_note"], self.fields["public_change"]
        self.fields["order"].required = False
        self.preview_readability = None
        # As in the database now (the form's instance takes the posted values on clean).
        self.saved = {name: getattr(self.instance, name) for name in self.TEXT}
        self._untouched = None

    def current_version(self):
        # Loaded with the other sections in one query a moment ago.
        return self.instance.version

    def has_changed(self):
        if self.from_template:
            return True
        return super().has_changed() and not self.untouched()

    def untouched(self):
        """True when someone else saved this section after the form was opened and this
        editor left it exactly as they found it: nothing of theirs to save, no conflict
        (two editors may work on different sections of one article at once)."""
        if self._untouched is None:
            self._untouched = False
            opened = self.data.get(self.add_prefix("opened_version"))
            deleting = self.data.get(self.add_prefix("DELETE"))
            if (
                self.instance.pk
                and opened
                and opened != str(self.instance.version)
                and not deleting
            ):
                record = (
                    self.instance.history.filter(version=opened).order_by("-history_date").first()
                )
                self._untouched = record is not None and all(
                    as_text(getattr(record, name)) == as_text(self[name].data) for name in self.TEXT
                )
        return self._untouched

    def section_text(self):
        """The section as this save leaves it, for the whole-article check and preview."""
        values = self.saved if self.untouched() else self.cleaned_data
        return SectionText(key=values["key"], title=values["title"], body=values["body_markdown"])

    def needs_version_check(self):
        # A section this save leaves alone cannot overwrite anyone's change.
        return self.instance.pk is not None and self.has_changed()

    def clean_body_markdown(self):
        text = self.cleaned_data["body_markdown"].replace("\r\n", "\n").replace("\r", "\n")
        return text.strip("\n")


class SectionFormSet(BaseInlineFormSet):
    preview_requested = False
    start_rows = ()  # initial rows of a new article (the template)
    keep_template = False  # save the template's rows even where nothing was typed

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.preview = None
        self.claim_warnings = []
        if not self.initial_extra:
            rows = [dict(row) for row in self.start_rows]
            last = max(
                [s.order for s in self.get_queryset()] + [r["order"] for r in rows], default=-1
            )
            while len(rows) < self.extra:
                last += 1
                rows.append({"order": last})
            self.initial_extra = rows

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.from_template = (
            self.keep_template and i >= self.initial_form_count() and bool(form.initial.get("key"))
        )
        return form

    def live_forms(self):
        """The forms of the sections the article will have after this save, in order."""
        found = [
            (n, form)
            for n, form in enumerate(self.forms)
            if (form.instance.pk or form.has_changed()) and not self._should_delete_form(form)
        ]
        last = max((f.cleaned_data.get("order") or 0 for _, f in found), default=0)
        for _, form in found:
            if form.cleaned_data.get("order") is None:
                last += 1
                form.instance.order = form.cleaned_data["order"] = last
        found.sort(key=lambda item: (item[1].cleaned_data["order"], item[0]))
        return [form for _, form in found]

    def clean(self):
        if any(self.errors):
            return
        live = self.live_forms()
        titles = {}
        for form in live:
            key = form.cleaned_data["key"]
            if key in titles:
                form.add_error(
                    "key",
                    f"“{key}” is also the key of “{titles[key]}”: each key is used once in "
                    "an article.",
                )
            titles.setdefault(key, form.cleaned_data["title"])
        if any(self.errors):
            return
        super().clean()
        crisis = self.instance.crisis_section
        removed = {form.saved["key"] for form in self.deleted_forms}
        # Removing the section that shows the crisis lines leaves them at the page's end.
        if crisis and crisis not in titles and crisis not in removed:
            raise ValidationError(
                f"The crisis box is set to appear in the section “{crisis}”, and no section "
                "below has that key: give one of the keys below, or leave it empty for none.",
                code="crisis",
            )
        texts = [form.section_text() for form in live]
        # The claim rules need the article's outcomes and support checks (none yet for
        # an article being created).
        article = self.instance
        context = context_for(article) if article.pk else ClaimContext(published=article.is_public)
        for text in texts:
            text.claim_context = context
        problems, rendered = check_sections(texts, citation_index())
        forms_by_key = {text.key: form for text, form in zip(texts, live, strict=True)}
        for problem in problems:
            forms_by_key[problem.section].add_error("body_markdown", str(problem))
        if problems:
            return
        self.claim_warnings = [
            warning
            for text, result in zip(texts, rendered, strict=True)
            for warning in unchecked_warnings(text, result, context)
        ]
        if self.preview_requested:
            self.preview = self.preview_of(live, texts, rendered)
            raise ValidationError("Preview only: not saved.", code="preview")

    def preview_of(self, live, texts, rendered):
        for form, result in zip(live, rendered, strict=True):
            form.preview_readability = readability(result.html)
        return {
            # The sanitizer's output, as stored on save.
            "sections": [
                {"key": t.key, "title": t.title, "html": mark_safe(r.html)}
                for t, r in zip(texts, rendered, strict=True)
            ],
            "readability": article_readability(
                (t.title, r.html) for t, r in zip(texts, rendered, strict=True)
            ),
        }

    @property
    def only_preview(self):
        """True when the one thing stopping the save is that a preview was asked for."""
        errors = self.non_form_errors().as_data()
        return self.preview is not None and all(e.code == "preview" for e in errors)


def save_sections(formset, note, public):
    """Save the changed, new and removed sections under one change note (each change is
    in its section's history, a removal too, restorable from there), then render the
    article once. Returns whether any section changed."""
    instances = formset.save(commit=False)
    article = formset.instance
    for section in formset.deleted_objects:
        section._change_reason, section._public_change = note, public
        section.delete(rerender=False)
    forms_by_instance = {id(form.instance): form for form in formset.forms}
    for section in instances:
        if section.pk:
            opened = forms_by_instance[id(section)].cleaned_data.get("opened_version")
            section.version = (opened or section.version) + 1
        section._change_reason, section._public_change = note, public
        section.article = article
        section.save(rerender=False)
    changed = bool(instances or formset.deleted_objects)
    if changed:
        mark_content_changed(article)
        rerender(article)
    return changed


class SectionInline(admin.StackedInline):
    model = Section
    form = SectionRowForm
    formset = SectionFormSet
    template = "admin/articles/article/section_inline.html"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("order", "key", "title"),
                    "body_markdown",
                    "opened_version",
                    "conflict_version",
                ]
            },
        )
    ]
    ordering = ["order", "pk"]
    extra = MORE_ROWS

    def get_extra(self, request, obj=None, **kwargs):
        if obj is not None:
            return MORE_ROWS
        return len(SectionKey) + 1 if start_of(request) == STANDARD else BLANK_ROWS

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.preview_requested = request.method == "POST" and "_preview" in request.POST
        if obj is None and start_of(request) == STANDARD:
            formset.start_rows = template_rows()
            formset.keep_template = True
        return formset
