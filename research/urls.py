"""URLs of research directions, publications and projects."""

from django.urls import path

from research import views

app_name = "research"
urlpatterns = [
    path("publications.bib", views.publications_bib, name="publications_bib"),
    path("publications/<slug:slug>.bib", views.publication_bib, name="publication_bib"),
    path(
        "people/<slug:slug>/publications.bib",
        views.person_publications_bib,
        name="person_publications_bib",
    ),
    path("research/<slug:slug>/", views.DirectionDetailView.as_view(), name="direction_detail"),
    path(
        "publications/<slug:slug>/",
        views.PublicationDetailView.as_view(),
        name="publication_detail",
    ),
    path("projects/<slug:slug>/", views.ProjectDetailView.as_view(), name="project_detail"),
]
