"""URLs of the home page, search, feeds, sitemap, robots.txt, news items and Pages by
slug (the catch-all comes last)."""

from django.urls import path

from pages import branding_views, feeds, views

app_name = "pages"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("brand.css", branding_views.brand_css, name="brand_css"),
    *[
        path(name, branding_views.icon, {"filename": name}, name=f"icon_{name.split('.')[0]}")
        for name in ("favicon.ico", *branding_views.PNG_SIZES)
    ],
    path("news/feed/", feeds.NewsFeed(), name="news_feed"),
    path("news/atom/", feeds.NewsAtomFeed(), name="news_atom"),
    path("publications/feed/", feeds.PublicationFeed(), name="publication_feed"),
    path("publications/atom/", feeds.PublicationAtomFeed(), name="publication_atom"),
    path("news/<slug:slug>/", views.NewsDetailView.as_view(), name="news_detail"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event_detail"),
    path("<slug:slug>/", views.page_detail, name="page_detail"),
]
