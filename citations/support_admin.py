"""One screen per article listing every claim × source with its support: editors read each
source and record whether it says what the sentence says, with a pinpoint."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from core.changelist import ModelAdmin

from .models import ClaimCitation, ClaimSupport
from .support import Support, sentence_key, support_changed


class SupportForm(forms.Form):
    row = forms.CharField(widget=forms.HiddenInput)
    support = forms.ChoiceField(choices=Support.choices)
    pinpoint = forms.CharField(
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"size": 60}),
        help_text="A short quote, or the page, table or figure.",
    )

    def clean(self):
        cleaned = super().clean()
        if (
            Support(cleaned.get("support", "unchecked")).needs_pinpoint
            and not (cleaned.get("pinpoint") or "").strip()
        ):
            self.add_error("pinpoint", "Say where the source says it: a quote, page or table.")
        return cleaned


SupportFormSet = forms.formset_factory(SupportForm, extra=0)


def claim_pairs(article_id):
    """Every (sentence, citation) of the article once, in reading order, with its section."""
    rows = (
        ClaimCitation.objects.filter(section__article_id=article_id)
        .select_related("citation", "section__article")
        .order_by("section__order", "position")
    )
    pairs = {}
    for row in rows:
        pairs.setdefault((row.sentence, row.citation_id), row)
    return list(pairs.values())


@admin.register(ClaimSupport)
class ClaimSupportAdmin(ModelAdmin):
    list_display = ["citation", "support", "sentence", "checked_by", "checked_on", "article"]
    list_filter = ["support", "article"]
    search_fields = ["sentence", "citation__key"]
    readonly_fields = ["article", "citation", "sentence", "checked_by", "checked_on"]
    fields = ["article", "citation", "sentence", "support", "pinpoint", "checked_by", "checked_on"]

    def has_add_permission(self, request):
        return False  # checks are made on the article's screen, one per claim and source

    def changelist_view(self, request, extra_context=None):
        articles = ClaimCitation.objects.values_list(
            "section__article_id", "section__article__title"
        ).distinct()
        extra_context = {**(extra_context or {}), "claim_articles": sorted(set(articles))}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view(self.article_view)
        return [
            path("article/<int:article_id>/", view, name="citations_claimsupport_article")
        ] + super().get_urls()

    def article_view(self, request, article_id):
        if not self.has_change_permission(request):
            raise PermissionDenied
        pairs = claim_pairs(article_id)
        if not pairs:
            raise Http404("This article cites no sources.")
        article = pairs[0].section.article
        saved = {
            (s.citation_id, s.sentence_hash): s
            for s in ClaimSupport.objects.filter(article_id=article_id)
        }
        initial = []
        for pair in pairs:
            record = saved.get((pair.citation_id, sentence_key(pair.sentence)))
            pair.record = record
            initial.append(
                {
                    "row": f"{pair.citation_id}:{sentence_key(pair.sentence)}",
                    "support": record.support if record else Support.UNCHECKED,
                    "pinpoint": record.pinpoint if record else "",
                }
            )
        formset = SupportFormSet(request.POST or None, initial=initial)
        if request.method == "POST" and formset.is_valid():
            changed = self.save_checks(request, article, pairs, formset)
            messages.success(request, f"Saved {changed} check(s).")
            return redirect("admin:citations_claimsupport_article", article_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Do the sources say it? “{article}”",
            "article": article,
            "rows": list(zip(pairs, formset.forms, strict=True)),
            "formset": formset,
        }
        return TemplateResponse(request, "admin/citations/claimsupport/article.html", context)

    @transaction.atomic
    def save_checks(self, request, article, pairs, formset):
        changed = 0
        for pair, form in zip(pairs, formset.forms, strict=True):
            if not form.has_changed():
                continue
            ClaimSupport.objects.update_or_create(
                article=article,
                citation=pair.citation,
                sentence_hash=sentence_key(pair.sentence),
                defaults={
                    "sentence": pair.sentence,
                    "support": form.cleaned_data["support"],
                    "pinpoint": form.cleaned_data["pinpoint"].strip(),
                    "checked_by": request.user.username,
                    "checked_on": timezone.localdate(),
                },
            )
            changed += 1
            if form.cleaned_data["support"] == Support.DOES_NOT_SUPPORT and article.published:
                messages.warning(
                    request,
                    f"“{pair.sentence[:80]}” is published and {pair.citation.key} does not "
                    f"support it: rewrite it in “{pair.section.title}” (the section will not "
                    "save until it is fixed).",
                )
        if changed:
            support_changed.send(sender=ClaimSupport, article_id=article.pk)
        return changed
