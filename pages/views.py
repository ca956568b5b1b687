"""Home page, Pages by slug (with their collection listings), news items, site search,
sitemap.xml and robots.txt."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from airml.models import ListingView
from airml.views import PublishedDetailView
from pages.models import (
    Collection,
    Event,
    NewsItem,
    Page,
    Section,
    collection_items,
    collection_queryset,
)
from pages.search import MAX_QUERY_LENGTH
from pages.search import search as site_search
from pages.sitemaps import render_sitemap
from people.models import Group, Person, people_page_groups
from research.filters import PublicationFilters, select_rows

PER_PAGE = 50

# Pages every lab site has: if no Page with this slug exists yet, it still works.
DEFAULT_PAGES = {
    "news": (_("News"), Collection.NEWS, ListingView.NEWS),
    "events": (_("Events and talks"), Collection.EVENTS, ListingView.LIST),
    "publications": (_("Publications"), Collection.PUBLICATIONS, ListingView.CITATION),
    "projects": (_("Projects"), Collection.PROJECTS, ListingView.CARD),
    "people": (_("People"), Collection.PEOPLE, ListingView.CARD),
    "research": (_("Research"), Collection.DIRECTIONS, ListingView.COMPACT),
}


def get_page(request, slug):
    page = Page.objects.visible_to(request.user).for_detail().filter(slug=slug).first()
    if page is None and slug in DEFAULT_PAGES:
        title, collection, view = DEFAULT_PAGES[slug]
        page = Page(slug=slug, title=title, collection=collection, view=view)
    if page is None:
        raise Http404(_("No page here."))
    return page


def people_roster(group=None):
    """The grouped people list with the generated alumni part (four queries)."""
    groups = list(Group.objects.all()) if group is None else [group]
    people = Person.objects.published().for_listing()
    if group is not None:
        people = people.current().filter(groups=group)
    rows, alumni_rows = people_page_groups(people, groups)
    return {"rows": rows, "alumni_rows": alumni_rows if group is None else []}


def prepare_sections(page):
    sections = list(page.sections.all()) if page.pk else []
    for section in sections:
        if section.kind == Section.Kind.COLLECTION:
            section.items = collection_items(section)
        elif section.kind == Section.Kind.PEOPLE:
            section.roster = people_roster(section.group)
    return sections


def render_page(request, page, template="pages/page_detail.html"):
    context = {"page": page, "sections": prepare_sections(page), "is_preview": False}
    if page.pk:
        context["is_preview"] = not page.is_public
    if page.collection == Collection.PEOPLE:
        context["roster"] = people_roster(page.group)
    elif page.collection and page.count:
        context["items"] = collection_items(page)
    elif page.collection:
        queryset = collection_queryset(page)
        if page.collection == Collection.PUBLICATIONS:
            filters = PublicationFilters(request.GET)
            context["filters"] = filters
            context["facets"] = facets = filters.facets(queryset.prefetch_related(None))
            context["filter_selects"] = select_rows(facets)
            queryset = filters.apply(queryset)
        paginator = Paginator(queryset, PER_PAGE)
        page_obj = paginator.get_page(request.GET.get("page"))
        context["items"] = list(page_obj.object_list)
        context["page_obj"] = page_obj
    response = render(request, template, context)
    if request.user.is_staff:
        add_never_cache_headers(response)
    return response


def home(request):
    page = Page.objects.visible_to(request.user).for_detail().filter(slug="home").first()
    if page is None:
        page = Page(slug="home", title="", collection=Collection.NEWS, view=ListingView.NEWS,
                    count=5)  # fmt: skip
    return render_page(request, page, template="pages/home.html")


def page_detail(request, slug):
    return render_page(request, get_page(request, slug))


class EventDetailView(PublishedDetailView):
    model = Event
    template_name = "pages/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("people")


class NewsDetailView(PublishedDetailView):
    model = NewsItem
    template_name = "pages/newsitem_detail.html"
    context_object_name = "item"


def search(request):
    """Results grouped by kind; with no words or no results, ways to browse instead."""
    q = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    groups = site_search(q) if q else []
    browse = [
        (title, reverse("pages:page_detail", kwargs={"slug": slug}))
        for slug, (title, _collection, _view) in DEFAULT_PAGES.items()
    ]
    context = {
        "q": q,
        "groups": groups,
        "total": sum(len(group.results) for group in groups),
        "browse": browse,
    }
    return render(request, "pages/search.html", context)


def sitemap(request):
    return render_sitemap(request)


def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_URL}",
        f"Disallow: {reverse('pages:search')}",
        "Disallow: /markdownx/",
        f"Sitemap: {request.build_absolute_uri(reverse('pages:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
