"""Root URLconf: admin, staff-only Markdown endpoints, then the apps (pages last)."""

import os

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from airml import markdownx_views

ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

urlpatterns = [
    path(ADMIN_URL, admin.site.urls),
    path("markdownx/markdownify/", markdownx_views.markdownify, name="markdownx_markdownify"),
    path("markdownx/upload/", markdownx_views.upload, name="markdownx_upload"),
    path("", include("people.urls")),
    path("", include("research.urls")),
    path("", include("pages.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "airml.views.page_not_found"
handler500 = "airml.views.server_error"
