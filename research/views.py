"""Detail pages for research directions, publications and projects; BibTeX exports."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from airml.views import PublishedDetailView
from people.models import Person
from research.citation_counts import CitationCount
from research.filters import PublicationFilters
from research.models import NEWEST_FIRST, Project, Publication, ResearchDirection


class DirectionDetailView(PublishedDetailView):
    model = ResearchDirection
    template_name = "research/direction_detail.html"
    context_object_name = "direction"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        direction = self.object
        # The newest few; the full, filterable list is /publications/?direction=<slug>.
        context["publications"], context["more_publications"] = (
            Publication.objects.published().for_listing().filter(directions=direction).first_page()
        )
        context["projects"] = list(Project.objects.published().filter(directions=direction))
        context["people"] = list(direction.people.published().for_listing())
        return context


class PublicationDetailView(PublishedDetailView):
    model = Publication
    queryset_method = "for_detail"
    template_name = "research/publication_detail.html"
    context_object_name = "publication"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["scholar_meta"] = self.object.scholar_meta(self.request)
        context["schema_org"] = self.object.schema_org(self.request)
        if settings.CITATION_COUNTS:  # one query, only when the counts are on
            context["cited_by"] = CitationCount.objects.filter(publication=self.object).first()
        return context


def bib_response(publications, filename):
    text = "\n".join(p.bibtex_export for p in publications)
    response = HttpResponse(text, content_type="application/x-bibtex; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def publications_bib(request):
    """All published publications as BibTeX, with the same filters as /publications/."""
    filters = PublicationFilters(request.GET)
    publications = filters.apply(Publication.objects.published()).order_by(*NEWEST_FIRST)
    return bib_response(publications.only("bibtex_export"), "publications.bib")


def publication_bib(request, slug):
    publication = Publication.objects.visible_to(request.user).filter(slug=slug).first()
    if publication is None:
        raise Http404
    return bib_response([publication], f"{publication.slug}.bib")


def person_publications_bib(request, slug):
    person = get_object_or_404(Person.objects.published(), slug=slug)
    publications = Publication.objects.published().by_person(person).order_by(*NEWEST_FIRST)
    return bib_response(publications.only("bibtex_export"), f"{person.slug}.bib")


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
