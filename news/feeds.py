"""RSS and Atom feeds of news items (published only, newest first).

They share the site's feed base (`pages.feeds.SiteFeed`: the titles come from the
site settings); `pages` never imports this module, so there is no cycle.
"""

from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from news.models import NewsItem
from pages.feeds import FEED_ITEMS, SiteFeed, midday


class NewsFeed(SiteFeed):
    def title(self, site):
        return _("%(site)s: news") % {"site": site.settings.name}

    def link(self, site):
        return site.base + reverse("pages:page_detail", kwargs={"slug": "news"})

    def published_items(self):
        return NewsItem.objects.published().for_listing()[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or item.body_html

    def item_pubdate(self, item):
        return midday(item.date)


class NewsAtomFeed(NewsFeed):
    feed_type = Atom1Feed

    def subtitle(self, site):
        return self.description(site)
