"""URLs of the home page, publication feeds, sitemap, robots.txt, icons and Pages by
slug (the catch-all comes last)."""

from django.urls import path

from pages import branding_views, feeds, sitemaps, views

app_name = "pages"
urlpatterns = [
    path("", views.home, name="home"),
    path("sitemap.xml", sitemaps.render_sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("brand.css", branding_views.brand_css, name="brand_css"),
    *[
        path(name, branding_views.icon, {"filename": name}, name=f"icon_{name.split('.')[0]}")
        for name in ("favicon.ico", *branding_views.PNG_SIZES)
    ],
    path("publications/feed/", feeds.PublicationFeed(), name="publication_feed"),
    path("publications/atom/", feeds.PublicationAtomFeed(), name="publication_atom"),
    path("<slug:slug>/", views.page_detail, name="page_detail"),
]
