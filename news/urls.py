"""URLs of the news feeds and of news items' and events' pages (the listings are the
Pages `/news/` and `/events/`)."""

from django.urls import path

from news import feeds, views

app_name = "news"
urlpatterns = [
    path("news/feed/", feeds.NewsFeed(), name="news_feed"),
    path("news/atom/", feeds.NewsAtomFeed(), name="news_atom"),
    path("news/<slug:slug>/", views.NewsDetailView.as_view(), name="newsitem_detail"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event_detail"),
]
