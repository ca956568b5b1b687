"""App configuration for news: news items and events in the site search."""

from django.apps import AppConfig
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


def news_meta(item):
    return date_format(item.date, "j F Y")


def event_meta(event):
    parts = [date_format(timezone.localtime(event.date), "j F Y"), event.event_name,
             event.location]  # fmt: skip
    return " · ".join(p for p in parts if p)


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News and events")

    def ready(self):
        from news.models import Event, NewsItem
        from search.registry import Kind, register

        register(
            Kind(
                "news",
                _("News"),
                NewsItem,
                {"title": "A", "summary": "C", "body": "C"},
                ("summary", "body_html"),
                ("-date", "-pk"),
                ("slug", "title", "date"),
                meta=news_meta,
            )
        )
        register(Kind(
            "events", _("Events and talks"), Event,
            {"title": "A", "event_name": "B", "location": "B", "summary": "C", "abstract": "C",
             "body": "C"},
            ("summary", "abstract_html", "body_html"), ("-date", "-pk"),
            ("slug", "title", "date", "event_name", "location"), meta=event_meta,
        ))  # fmt: skip
