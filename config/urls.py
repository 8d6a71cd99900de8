from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from core import views as core_views

admin.site.site_header = "Evidence Health editorial admin"
admin.site.site_title = "Evidence Health admin"
admin.site.index_title = "Articles, citations and comments"

urlpatterns = [
    path("", include("articles.urls")),
    path("comments/", include("comments.urls")),
    path("about/", include("people.urls")),
    path("privacy/", core_views.privacy, name="privacy"),
    path("robots.txt", core_views.robots, name="robots"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
