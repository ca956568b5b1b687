"""URLs of research directions, publications and projects."""

from django.urls import path

from research import views

app_name = "research"
urlpatterns = [
    path("research/<slug:slug>/", views.DirectionDetailView.as_view(), name="direction_detail"),
    path(
        "publications/<slug:slug>/",
        views.PublicationDetailView.as_view(),
        name="publication_detail",
    ),
    path("projects/<slug:slug>/", views.ProjectDetailView.as_view(), name="project_detail"),
]
