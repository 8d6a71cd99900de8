from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import views
from .feeds import ArticleUpdatesFeed
from .sitemaps import SITEMAPS

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("articles/<slug:slug>/feedback/", views.feedback, name="feedback"),
    # A source's page and an article's reference files live under /citations/; they join
    # articles and citations, so they are served here (citations knows no article).
    path("citations/<slug:key>/", views.source_detail, name="source"),
    path(
        "citations/export/<slug:slug>.<str:fmt>",
        views.article_references,
        name="references",
    ),
    path("updates/", views.updates, name="updates"),
    path("feed/", ArticleUpdatesFeed(), name="feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
