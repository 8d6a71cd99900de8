from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.revisions import RevisionAdmin

from . import support_admin  # noqa: F401 (registers the claim-support screens)
from .forms import CitationForm
from .identifiers import IdentifierError, identify
from .models import Citation, ClaimCitation, Verification

FILL_LEVELS = {
    "success": messages.SUCCESS,
    "info": messages.INFO,
    "warning": messages.WARNING,
    "error": messages.ERROR,
}


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
    search_fields = ["key", "title", "container_title", "doi", "pmid", "pmcid", "described_as"]
    inlines = [ClaimInline]
    view_on_site = True

    change_form_template = "admin/citations/citation/change_form.html"

    def get_fieldsets(self, request, obj=None):
        return [
            ("Find the publication", {
                "fields": ["doi", "pmid", "pmcid"],
                "description": "Paste a DOI, a PubMed ID or a PMC ID, or a link to one, then "
                "press “Fill from DOI/PubMed” to fetch the rest for you to check.",
            }),
            (None, {"fields": ["key", "csl_type", "title", "authors", "container_title", "year",
                               "volume", "issue", "pages", "url"]}),
            ("Evidence", {"fields": ["study_design", "sample_size", "finding"]}),
            ("Verification", {"fields": ["verification", "verification_note", "described_as"]}),
            self.revision_fieldset,
        ]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        return ["key"] if obj else []

    def get_search_results(self, request, queryset, search_term):
        # Before adding a source, an editor pastes the link they have to see if the site
        # has it already: a DOI, PubMed or PMC link finds the record by its identifier.
        results, duplicates = super().get_search_results(request, queryset, search_term)
        try:
            kind, identifier = identify(search_term)
        except IdentifierError:
            return results, duplicates
        lookup = {"doi": "doi__iexact", "pmid": "pmid", "pmcid": "pmcid"}[kind]
        return results | queryset.filter(**{lookup: identifier}), duplicates

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.fill_requested = request.method == "POST" and "_fill" in request.POST
        return form

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        form = context["adminform"].form
        for level, message in getattr(form, "fill_report", None) or []:
            self.message_user(request, message, FILL_LEVELS[level])
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def response_add(self, request, obj, post_url_continue=None):
        # The editor came from a section in another tab: tell them what to type there.
        self.message_user(
            request,
            format_html("Cite this source in a section as <code>[@{}]</code>.", obj.key),
            messages.SUCCESS,
        )
        return super().response_add(request, obj, post_url_continue)

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
