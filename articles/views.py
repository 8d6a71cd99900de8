from django.shortcuts import get_object_or_404, render

from core.middleware import mark_cacheable

from .models import Article


def article_list(request):
    articles = Article.objects.published()
    return mark_cacheable(render(request, "articles/article_list.html", {"articles": articles}))


def article_detail(request, slug):
    article = get_object_or_404(Article.objects.published(), slug=slug)
    sections = list(article.sections.all())
    return mark_cacheable(
        render(request, "articles/article_detail.html", {"article": article, "sections": sections})
    )
