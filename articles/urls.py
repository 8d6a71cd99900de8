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
    path("feed/", ArticleUpdatesFeed(), name="feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
