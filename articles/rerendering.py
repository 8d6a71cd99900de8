"""Render a whole article on write: sections, claims, evidence summaries, references."""

from collections import Counter, OrderedDict
from dataclasses import replace

from django.db import transaction
from django.template.loader import render_to_string

from citations.markdown_ext import Numbering
from citations.models import Citation, ClaimCitation, ClaimSupport, EvidenceLevel
from citations.support import support_index, support_of

from .page import store_page
from .rendering import RenderError, render_markdown


def citation_index():
    return {c.key: c for c in Citation.objects.all()}


def summarise(claims, citations):
    """Claims of one section counted under the strongest source each rests on."""
    by_sentence = OrderedDict()
    for claim in claims:
        by_sentence.setdefault(claim.sentence, []).append(citations[claim.key].level)
    counts = Counter(min(levels, key=lambda level: level.rank) for levels in by_sentence.values())
    ordered = {level.value: counts[level] for level in EvidenceLevel if counts[level]}
    return {"claims": len(by_sentence), "levels": ordered}


def render_sections(sections, citations):
    """Render sections in order with one numbering. Raises RenderError naming the section."""
    numbering = Numbering()
    rendered = []
    for section in sections:
        try:
            rendered.append(
                render_markdown(
                    section.body_markdown,
                    prefix=section.key,
                    citations=citations,
                    numbering=numbering,
                )
            )
        except RenderError as exc:
            raise RenderError([replace(p, section=section.key) for p in exc.problems]) from exc
    return numbering, rendered


@transaction.atomic
def rerender(article):
    """Re-render every section of the article and store the results.

    Uses bulk updates, so rendering never writes revision history: only an editor's
    save does.
    """
    from .models import Article, Section

    sections = list(article.sections.order_by("order"))
    citations = citation_index()
    numbering, rendered = render_sections(sections, citations)

    claim_rows = []
    totals = Counter()
    for section, result in zip(sections, rendered, strict=True):
        section.body_html = result.html
        section.faq = result.faq
        section.word_count = result.word_count
        section.evidence = summarise(result.claims, citations)
        totals.update(section.evidence["levels"])
        claim_rows += [
            ClaimCitation(
                section=section,
                citation=citations[claim.key],
                sentence=claim.sentence,
                position=claim.position,
                number=claim.number,
                anchor=claim.anchor,
                outcome_key=claim.outcome,
            )
            for claim in result.claims
        ]
    Section.objects.bulk_update(sections, ["body_html", "faq", "word_count", "evidence"])
    # Rebuild the claims only when they differ: a re-render of unchanged text keeps the rows.
    fields = (
        "section_id", "citation_id", "sentence", "position", "number", "anchor", "outcome_key"
    )  # fmt: skip
    existing = ClaimCitation.objects.filter(section__article=article).order_by("pk")
    if list(existing.values_list(*fields)) != [
        tuple(getattr(row, name) for name in fields) for row in claim_rows
    ]:
        existing.delete()
        ClaimCitation.objects.bulk_create(claim_rows)

    references = []
    anchors = {}
    supports = support_index(ClaimSupport.objects.filter(article=article))
    for row in claim_rows:
        row.support = support_of(supports, row)
        anchors.setdefault(row.citation.key, []).append(row)
    for key, number in sorted(numbering.numbers.items(), key=lambda item: item[1]):
        uses = anchors[key]
        checks = list({use.sentence: use for use in uses}.values())  # one per claim
        references.append(
            {"number": number, "citation": citations[key], "uses": uses, "checks": checks}
        )
    article.references_html = render_to_string(
        "citations/references.html", {"references": references}
    )
    article.evidence = {
        "claims": sum(s.evidence["claims"] for s in sections),
        "levels": {
            level.value: totals[level.value] for level in EvidenceLevel if totals[level.value]
        },
        "sources": len(references),
        "not_located": sum(1 for r in references if not r["citation"].located),
    }
    Article.objects.filter(pk=article.pk).update(
        references_html=article.references_html, evidence=article.evidence
    )
    store_page(article.pk)
    return rendered


def articles_citing(citation):
    from .models import Article

    return Article.objects.filter(sections__claims__citation=citation).distinct()
