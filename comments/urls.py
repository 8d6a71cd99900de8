from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("post/<slug:slug>/", views.post_comment, name="post"),
    path("<int:pk>/report/", views.report_comment, name="report"),
]
