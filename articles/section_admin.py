"""A section's own form: kept for search, for a section's history (compare, revert,
restore a removed one) and for a change to one section alone. The article screen
(article_editor.py) edits all of an article's sections at once with the same rules."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils.safestring import mark_safe

from citations.models import Citation
from core.revisions import RevisionAdmin, RevisionForm

from .article_editor import MARKDOWN_HELP
from .claim_rules import context_for, unchecked_warnings
from .content_files import SectionText
from .models import Section
from .public_changes import refresh_public_changes
from .readability import readability
from .rerendering import citation_index
from .section_deletion import SectionDeletionMixin
from .validation import check_sections


class SectionForm(RevisionForm):
    preview_requested = False

    class Meta:
        model = Section
        fields = ["article", "key", "title", "order", "body_markdown"]
        widgets = {"body_markdown": forms.Textarea(attrs={"class": "markdown-editor", "rows": 30})}
        help_texts = {"body_markdown": MARKDOWN_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.preview_html = None
        self.rendered = None
        if self.preview_requested:
            self.fields["change_note"].required = False

    def clean_body_markdown(self):
        text = self.cleaned_data["body_markdown"].replace("\r\n", "\n").replace("\r", "\n")
        return text.strip("\n")

    def clean(self):
        cleaned = super().clean()
        article = cleaned.get("article") or getattr(self.instance, "article", None)
        if self.errors or article is None:
            return cleaned
        edited = SectionText(
            key=cleaned["key"], title=cleaned["title"], body=cleaned["body_markdown"]
        )
        others = [s for s in article.sections.all() if s.pk != self.instance.pk]
        clash = next((s for s in others if s.key == cleaned["key"]), None)
        if clash is not None:
            # The model's constraint would not be checked on the change form (the article
            # is read-only there, so Django leaves the constraint out): the save would fail.
            self.add_error(
                "key",
                f"The article already has a section with the key “{clash.key}” "
                f"(“{clash.title}”): each key is used once.",
            )
            return cleaned
        ordered = sorted(
            [*others, edited], key=lambda s: cleaned["order"] if s is edited else s.order
        )
        # The claim rules need the article's outcomes and support checks.
        context = context_for(article)
        for section in ordered:
            section.claim_context = context
        # The same rules as `manage.py check_content`, with the same messages.
        problems, rendered = check_sections(ordered, citation_index())
        mine = [str(p) for p in problems if p.section == edited.key]
        if rendered is None:
            titles = {s.key: s.title for s in others}
            mine += [f"{titles[p.section]}: {p}" for p in problems if p.section in titles]
        if mine:
            self.add_error("body_markdown", mine)
            return cleaned
        self.rendered = rendered[ordered.index(edited)]
        self.claim_warnings = unchecked_warnings(edited, self.rendered, context)
        if self.preview_requested:
            self.preview_html = self.rendered.html
            raise forms.ValidationError("Preview only: not saved.", code="preview")
        return cleaned


class SectionAdmin(SectionDeletionMixin, RevisionAdmin):
    form = SectionForm
    list_display = ["__str__", "key", "order", "word_count", "reading_grade", "updated"]
    list_filter = ["article"]
    search_fields = ["title", "body_markdown"]
    ordering = ["article", "order"]
    view_on_site = True

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": ["article", "key", "title", "order", "body_markdown"]}),
            self.revision_fieldset,
        ]

    def get_readonly_fields(self, request, obj=None):
        return ["article"] if obj else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.preview_requested = request.method == "POST" and "_preview" in request.POST
        return form

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        form = context["adminform"].form
        errors = form.errors.as_data()
        only_preview = form.preview_html is not None and all(
            e.code == "preview" for errs in errors.values() for e in errs
        )
        if only_preview:
            context["errors"] = []
            context["preview_html"] = mark_safe(form.preview_html)  # the sanitizer's output
            context["readability"] = readability(form.preview_html)
        elif obj is not None:
            context["readability"] = readability(obj.body_html)
        # The admin adds has_change_permission to the context only after this method.
        context["show_preview"] = (
            self.has_add_permission(request)
            if obj is None
            else self.has_change_permission(request, obj)
        )
        context["citation_keys"] = Citation.objects.order_by("key")
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Every save: a revert or a restore may undo a change listed on the page.
        transaction.on_commit(lambda: refresh_public_changes(obj.article))
        unchecked = getattr(form, "claim_warnings", [])
        if unchecked:
            messages.warning(
                request,
                f"{len(unchecked)} claim(s) in this section are not yet checked against their "
                f"sources: {'; '.join(str(w) for w in unchecked[:5])}",
            )

    @admin.display(description="Reading grade")
    def reading_grade(self, obj):
        result = readability(obj.body_html)
        return result["grade"] if result else "—"
