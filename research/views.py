"""Detail pages for research directions, publications and projects."""

from airml.views import PublishedDetailView
from research.models import Project, Publication, ResearchDirection


class DirectionDetailView(PublishedDetailView):
    model = ResearchDirection
    template_name = "research/direction_detail.html"
    context_object_name = "direction"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        direction = self.object
        context["publications"] = list(
            Publication.objects.published().for_listing().filter(directions=direction)
        )
        context["projects"] = list(Project.objects.published().filter(directions=direction))
        context["people"] = list(direction.people.published().for_listing())
        return context


class PublicationDetailView(PublishedDetailView):
    model = Publication
    queryset_method = "for_detail"
    template_name = "research/publication_detail.html"
    context_object_name = "publication"


class ProjectDetailView(PublishedDetailView):
    model = Project
    template_name = "research/project_detail.html"
    context_object_name = "project"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("links", "tags")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.object
        context["publications"] = list(
            Publication.objects.published().for_listing().filter(projects=project)
        )
        context["people"] = list(project.people.published().for_listing())
        return context
