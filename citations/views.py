from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from articles.models import Article
from core.page_cache import cache_for_readers

from .exports import FORMATS
from .formatting import web_url
from .models import Citation, ClaimCitation, EvidenceLevel


@cache_for_readers
def citation_detail(request, key):
    citation = get_object_or_404(Citation, key=key)
    claims = (
        ClaimCitation.objects.filter(
            citation=citation, section__article__in=Article.objects.published()
        )
        .select_related("section__article")
        .order_by("section__article__title", "section__order", "position")
    )
    context = {
        "citation": citation,
        "claims": claims,
        "evidence_levels": list(EvidenceLevel),
        "web_url": web_url(citation.url),
    }
    return render(request, "citations/citation_detail.html", context)


@cache_for_readers
def article_references(request, slug, fmt):
    if fmt not in FORMATS:
        raise Http404("No such format.")
    article = get_object_or_404(Article.objects.published(), slug=slug)
    rows = (
        ClaimCitation.objects.filter(section__article=article)
        .select_related("citation")
        .order_by("number", "pk")
    )
    citations = list({row.citation.key: row.citation for row in rows}.values())
    build, content_type, extension = FORMATS[fmt]
    response = HttpResponse(build(citations), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{slug}-references.{extension}"'
    return response
