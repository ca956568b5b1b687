"""Detail pages of news items and events (published ones; staff also see drafts)."""

from airml.views import PublishedDetailView
from news.models import Event, NewsItem


class NewsDetailView(PublishedDetailView):
    model = NewsItem
    template_name = "news/newsitem_detail.html"
    context_object_name = "item"


class EventDetailView(PublishedDetailView):
    model = Event
    template_name = "news/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("people")
