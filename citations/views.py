from django.shortcuts import get_object_or_404, render

from core.middleware import mark_cacheable

from .models import Citation


def citation_detail(request, key):
    citation = get_object_or_404(Citation, key=key)
    return mark_cacheable(render(request, "citations/citation_detail.html", {"citation": citation}))
