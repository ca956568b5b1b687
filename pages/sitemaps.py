"""sitemap.xml: every published person, direction, publication, project, news item,
event and page, with `lastmod` from its `modified` time.

The sections are django.contrib.sitemaps classes; `render_sitemap` writes their URLs
for the requesting host (not the `Site` row's domain) without a template, so a lab
with thousands of publications gets its sitemap quickly.
"""

import datetime
from xml.sax.saxutils import escape as xml_escape

from django.contrib.sitemaps import Sitemap
from django.db.models import CharField
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.urls import reverse

from news.models import Event, NewsItem
from pages.models import DEFAULT_PAGES, Page
from people.models import Person
from research.models import Project, Publication, ResearchDirection


class PublishedSitemap(Sitemap):
    """One query: the published rows' slugs and modification times."""

    model = None
    url_name = ""

    def items(self):
        # (slug, modified as text) rows, not model instances, and not datetimes either:
        # converting thousands of SQLite timestamps costs more than the query.
        rows = self.model.objects.published().order_by("pk")
        return list(rows.values_list("slug", Cast("modified", CharField())))

    def location(self, item):
        # Thousands of items: the URL around the slug is made once per request.
        if not hasattr(self, "_around"):
            self._around = reverse(self.url_name, kwargs={"slug": "SLUG"}).split("SLUG")
        return f"{self._around[0]}{item[0]}{self._around[1]}"

    def lastmod(self, item):
        return item[1]


class PersonSitemap(PublishedSitemap):
    model = Person
    url_name = "people:person_detail"


class DirectionSitemap(PublishedSitemap):
    model = ResearchDirection
    url_name = "research:direction_detail"


class PublicationSitemap(PublishedSitemap):
    model = Publication
    url_name = "research:publication_detail"


class ProjectSitemap(PublishedSitemap):
    model = Project
    url_name = "research:project_detail"


class NewsSitemap(PublishedSitemap):
    model = NewsItem
    url_name = "news:newsitem_detail"


class EventSitemap(PublishedSitemap):
    model = Event
    url_name = "news:event_detail"


class PageSitemap(Sitemap):
    """Published Pages, plus the standard listing pages that have no Page row yet."""

    def items(self):
        pages = list(Page.objects.published().only("slug", "modified").order_by("slug"))
        have = {page.slug for page in pages}
        if "home" not in have:
            pages.insert(0, Page(slug="home"))
        pages += [Page(slug=slug) for slug in DEFAULT_PAGES if slug not in have]
        return pages

    def location(self, item):
        return item.get_absolute_url()

    def lastmod(self, item):
        return item.modified


SITEMAPS = {
    "pages": PageSitemap,
    "people": PersonSitemap,
    "research": DirectionSitemap,
    "publications": PublicationSitemap,
    "projects": ProjectSitemap,
    "news": NewsSitemap,
    "events": EventSitemap,
}


def _w3c(moment):
    """W3C datetime of a datetime, or of a stored UTC time as text: both databases
    give "YYYY-MM-DD HH:MM:SS..." (Django keeps their sessions in UTC)."""
    if isinstance(moment, str):
        return f"{moment[:10]}T{moment[11:19]}+00:00"
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds")


def render_sitemap(request):
    """The <urlset> of every section: one query per section.

    Sections are asked for their items, locations and lastmod directly rather than
    through `Sitemap.get_urls`, whose per-item work (languages, alternates,
    priorities) tripled the time for thousands of items.
    """
    base = f"{request.scheme}://{request.get_host()}"
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for section_class in SITEMAPS.values():
        section = section_class()
        for item in section.items():
            location = xml_escape(base + section.location(item))
            lastmod = section.lastmod(item)
            stamp = f"<lastmod>{_w3c(lastmod)}</lastmod>" if lastmod else ""
            lines.append(f"<url><loc>{location}</loc>{stamp}</url>")
    lines.append("</urlset>\n")
    return HttpResponse("\n".join(lines), content_type="application/xml; charset=utf-8")
