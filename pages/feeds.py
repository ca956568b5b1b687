"""RSS and Atom feeds of publications, and the base of every feed of the site
(published items only, newest first; the news feeds are `news.feeds`).

Links are made absolute from the request (scheme and host), not from the `Site`
row, whose domain editors rarely set; one query for the items.
"""

import datetime
from types import SimpleNamespace

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from pages.context_processors import site_data
from research.models import NEWEST_FIRST, Publication

FEED_ITEMS = 30


def midday(date):
    """A date as an aware datetime (feeds need times; items only have dates)."""
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(12)))


class SiteFeed(Feed):
    """Shared parts. The feed's object is the site settings (from the cached site
    context), so titles need no query and the shared feed instance keeps no state."""

    def get_object(self, request, *args, **kwargs):
        base = f"{request.scheme}://{request.get_host()}"
        return SimpleNamespace(settings=site_data()["site"], base=base, path=request.path)

    def description(self, site):
        return site.settings.description or site.settings.full_name

    def feed_url(self, site):
        return site.base + site.path

    def items(self, site):
        items = list(self.published_items())
        for item in items:
            item.feed_link = site.base + item.get_absolute_url()
        return items

    def item_link(self, item):
        return item.feed_link

    def item_updateddate(self, item):
        return item.modified


class PublicationFeed(SiteFeed):
    def title(self, site):
        return _("%(site)s: publications") % {"site": site.settings.name}

    def link(self, site):
        return site.base + reverse("pages:page_detail", kwargs={"slug": "publications"})

    def published_items(self):
        # The stored citation already names the authors: no per-item queries.
        return Publication.objects.published().order_by(*NEWEST_FIRST[:1], "-pk")[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.citation_html + (item.abstract_html or "")

    def item_pubdate(self, item):
        return midday(item.date) if item.date else None  # undated: no date is given


class PublicationAtomFeed(PublicationFeed):
    feed_type = Atom1Feed

    def subtitle(self, site):
        return self.description(site)
