import json

from django import forms
from django.contrib import admin
from django.utils.safestring import mark_safe

from core.revisions import RevisionAdmin, RevisionForm
from core.text import INVALID_WITH_NUL

from . import support_admin  # noqa: F401 (registers the claim-support screens)
from .models import Citation, ClaimCitation, Verification

# json.loads reads each [ or { by recursion: thousands of them exhaust Python's stack.
# A list of authors nests two levels; deeper is refused before parsing.
MAX_JSON_DEPTH = 8
AUTHORS_FORMAT = 'Write authors as a list like [{"family": "Szigeti", "given": "Balázs"}].'


def json_depth(text):
    """How deep [ and { nest in JSON text, strings skipped, without parsing it."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def too_deep(value):
    if not isinstance(value, str) or value.count("[") + value.count("{") <= MAX_JSON_DEPTH:
        return False
    return json_depth(value) > MAX_JSON_DEPTH


class AuthorsField(forms.JSONField):
    def to_python(self, value):
        if too_deep(value):
            raise forms.ValidationError(AUTHORS_FORMAT, code="invalid")
        try:
            return super().to_python(value)
        except RecursionError as exc:  # whatever the scan above did not foresee
            raise forms.ValidationError(AUTHORS_FORMAT, code="invalid") from exc

    def bound_data(self, data, initial):
        # Shown again as typed: Django would parse it once more to redisplay it.
        if too_deep(data):
            return forms.fields.InvalidJSONInput(data)
        try:
            return super().bound_data(data, initial)
        except RecursionError:
            return forms.fields.InvalidJSONInput(data)

    def prepare_value(self, value):
        text = super().prepare_value(value)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            # A lone surrogate typed as \ud800 cannot go back to the browser as UTF-8:
            # show the list again with every such character escaped.
            return json.dumps(value, ensure_ascii=True)
        return text


class CitationForm(RevisionForm):
    url = forms.URLField(label="URL", max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Citation
        fields = [
            "key", "csl_type", "title", "authors", "container_title", "year", "volume",
            "issue", "pages", "doi", "pmid", "url", "study_design", "sample_size", "finding",
            "verification", "verification_note", "described_as",
        ]  # fmt: skip
        field_classes = {"authors": AuthorsField}
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "authors": forms.Textarea(attrs={"rows": 4}),
            "finding": forms.Textarea(attrs={"rows": 3}),
            "verification_note": forms.Textarea(attrs={"rows": 2}),
            "described_as": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_authors(self):
        authors = self.cleaned_data["authors"] or []
        if not isinstance(authors, list) or not all(
            isinstance(a, dict) and set(a) <= {"family", "given", "literal"} and a for a in authors
        ):
            raise forms.ValidationError(AUTHORS_FORMAT)
        for author in authors:
            for value in author.values():
                # JSON can spell a NUL or a control character as \u0000: PostgreSQL
                # refuses to store the first, and pages cannot show either.
                if not isinstance(value, str) or INVALID_WITH_NUL.search(value):
                    raise forms.ValidationError(
                        "Each author's name must be plain text, without invisible "
                        "control characters such as \\u0000."
                    )
        return authors

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("verification") == Verification.NOT_LOCATED:
            if not cleaned.get("described_as"):
                self.add_error(
                    "described_as", "Say how the original text describes a study nobody found."
                )
            for field in ("authors", "container_title", "doi", "pmid"):
                if cleaned.get(field):
                    self.add_error(
                        field,
                        "A study we could not find has no authors, journal or identifiers: "
                        "never invent them.",
                    )
        return cleaned


class ClaimInline(admin.TabularInline):
    model = ClaimCitation
    fields = ["section", "number", "sentence"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "claim citing this source"
    verbose_name_plural = "claims citing this source"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Citation)
class CitationAdmin(RevisionAdmin):
    form = CitationForm
    list_display = ["key", "short_title", "study_design", "level", "verification_flag", "year"]
    list_filter = ["verification", "study_design", "csl_type"]
    search_fields = ["key", "title", "container_title", "doi", "described_as"]
    inlines = [ClaimInline]
    view_on_site = True

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": ["key", "csl_type", "title", "authors", "container_title", "year",
                               "volume", "issue", "pages", "doi", "pmid", "url"]}),
            ("Evidence", {"fields": ["study_design", "sample_size", "finding"]}),
            ("Verification", {"fields": ["verification", "verification_note", "described_as"]}),
            self.revision_fieldset,
        ]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        return ["key"] if obj else []

    @admin.display(description="Title")
    def short_title(self, obj):
        return (obj.title or obj.described_as)[:80]

    @admin.display(description="Evidence level")
    def level(self, obj):
        return obj.level.label

    @admin.display(description="Verification", ordering="verification")
    def verification_flag(self, obj):
        if obj.verification == Verification.PARTIAL:
            # Readers see partial records as verified: editors must confirm the rest.
            return mark_safe('<span class="review-due">Partly verified — confirm</span>')
        return obj.get_verification_display()
