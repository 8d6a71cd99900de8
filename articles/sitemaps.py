from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from citations.models import Citation

from .models import Article


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 1.0

    def items(self):
        return Article.objects.published()

    def lastmod(self, item):
        return item.content_changed


class CitationSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.3

    def items(self):
        # Sources of published articles only: a draft's sources are not public yet.
        published = Article.objects.published()
        return (
            Citation.objects.filter(claims__section__article__in=published)
            .distinct()
            .order_by("key")
        )


class PageSitemap(Sitemap):
    priority = 0.5

    def items(self):
        return ["articles:list", "people:team", "privacy"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"articles": ArticleSitemap, "citations": CitationSitemap, "pages": PageSitemap}
