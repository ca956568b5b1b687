"""URLs of people's profile pages (the people list is a Page, see pages)."""

from django.urls import path

from people import views

app_name = "people"
urlpatterns = [
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person_detail"),
]
