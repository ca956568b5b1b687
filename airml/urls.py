"""Root URLconf: admin, staff-only Markdown endpoints, then the apps.

`search` and `news` come before `pages`, whose catch-all `<slug>/` would take
/search/; `pages` comes before `research` so that /publications/feed/ and
/publications/atom/ are feeds, not publication slugs; the catch-all has one segment,
so it shadows none of the research or news URLs.
"""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from airml import markdownx_views, views

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("markdownx/markdownify/", markdownx_views.markdownify, name="markdownx_markdownify"),
    path("markdownx/upload/", markdownx_views.upload, name="markdownx_upload"),
    path("", include("people.urls")),
    path("", include("search.urls")),
    path("", include("news.urls")),
    path("", include("pages.urls")),
    path("", include("research.urls")),
]

if settings.SERVE_MEDIA:
    # Without a proxy in front (development, CI): uploads with nosniff + CSP sandbox.
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.insert(0, re_path(rf"^{media_prefix}(?P<path>.*)$", views.serve_media))

handler404 = "airml.views.page_not_found"
handler500 = "airml.views.server_error"
