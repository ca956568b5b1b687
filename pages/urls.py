"""URLs of the home page, news items and Pages by slug (the catch-all comes last)."""

from django.urls import path

from pages import views

app_name = "pages"
urlpatterns = [
    path("", views.home, name="home"),
    path("news/<slug:slug>/", views.NewsDetailView.as_view(), name="news_detail"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event_detail"),
    path("<slug:slug>/", views.page_detail, name="page_detail"),
]
