from django.urls import path

from . import views

app_name = "citations"

urlpatterns = [
    path("<slug:key>/", views.citation_detail, name="detail"),
    path("export/<slug:slug>.<str:fmt>", views.article_references, name="export"),
]
