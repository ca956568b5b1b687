"""News items and events (talks): what they say, when, who wrote or gave them."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext_lazy as _

from airml.images import AltTextRequiredMixin, SafeImageField
from airml.models import LinkField, MarkdownModel, PublishableModel, PublishedQuerySet, Status
from people.models import Person
from research.models import LinkButton


class NewsQuerySet(PublishedQuerySet):
    def for_listing(self):
        return self.order_by("-date", "-pk")

    def draft_announcement(self, publication):
        """Create (once) a draft news item announcing an accepted publication.

        Returns (news item, created)."""
        slug = slugify(f"accepted-{publication.slug}")[:120]
        venue = publication.venue_short or publication.venue or "a venue"
        news, created = self.get_or_create(
            slug=slug,
            defaults={
                "title": f"Paper accepted at {venue}: {publication.title}"[:250],
                "date": timezone.localdate(),
                "status": Status.DRAFT,
                "body": f"Our paper [{publication.title}]({publication.get_absolute_url()}) "
                f"has been accepted at {publication.venue or venue}.",
            },
        )
        return news, created


class NewsItem(AltTextRequiredMixin, MarkdownModel, PublishableModel):
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    # One date drives publishing (publish_at); this one, shown on the item, defaults
    # to its day, so an editor never has to fill in two dates.
    date = models.DateField(
        _("date shown"), blank=True,
        help_text=_("Leave empty to use the day of “publish at”. Set it to back-date an item."),
    )  # fmt: skip
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("text (Markdown)"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    image = SafeImageField(_("image"), upload_to="news/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=200, blank=True)
    featured = models.BooleanField(_("featured"), default=False)
    authors = models.ManyToManyField(
        Person, blank=True, related_name="news_items", verbose_name=_("authors"),
        help_text=_("Lab members who wrote this item; they may edit it themselves."),
    )  # fmt: skip

    # Kept by search.registry (PostgreSQL; NULL elsewhere); derived, so not serialized.
    search_document = SearchVectorField(null=True, editable=False, serialize=False)

    objects = NewsQuerySet.as_manager()
    markdown_fields = {"body": "body_html"}
    alt_text_fields = {"image": "image_alt"}
    listing_kind = "news"

    class Meta:
        ordering = ["-date", "-pk"]
        db_table = "pages_newsitem"  # the table it had in `pages` (every row kept)
        verbose_name = _("news item")
        # Newest first without sorting every row (the home page and feeds take a few).
        indexes = [models.Index(fields=["status", "date"], name="newsitem_listing")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.date is None:
            self.date = timezone.localdate(self.publish_at or timezone.now())
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:newsitem_detail", kwargs={"slug": self.slug})

    @property
    def listing_date(self):
        return self.date

    def listing_summary(self):
        return escape(self.summary or Truncator(strip_tags(self.body_html)).chars(160))


class EventQuerySet(PublishedQuerySet):
    def for_listing(self):
        return self.order_by("-date", "-pk")


class Event(AltTextRequiredMixin, MarkdownModel, PublishableModel):
    """A talk or event: when, where, and its links."""

    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    event_name = models.CharField(
        _("event"), max_length=250, blank=True, help_text=_("E.g. the conference's name.")
    )
    event_url = models.URLField(_("event link"), max_length=500, blank=True)
    location = models.CharField(_("location"), max_length=250, blank=True)
    address = models.TextField(_("address"), blank=True)
    date = models.DateTimeField(_("starts"))
    date_end = models.DateTimeField(_("ends"), null=True, blank=True)
    all_day = models.BooleanField(_("all day"), default=False)
    summary = models.TextField(_("summary"), blank=True)
    abstract = models.TextField(_("abstract (Markdown)"), blank=True)
    abstract_html = models.TextField(editable=False, blank=True)
    body = models.TextField(_("text (Markdown)"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    image = SafeImageField(_("image"), upload_to="events/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=200, blank=True)
    url_pdf = LinkField(_("PDF link"), max_length=500, blank=True)
    url_slides = LinkField(_("slides link"), max_length=500, blank=True)
    url_video = LinkField(_("video link"), max_length=500, blank=True)
    url_code = LinkField(_("code link"), max_length=500, blank=True)
    featured = models.BooleanField(_("featured"), default=False)
    people = models.ManyToManyField(Person, blank=True, related_name="events")

    # Kept by search.registry (PostgreSQL; NULL elsewhere); derived, so not serialized.
    search_document = SearchVectorField(null=True, editable=False, serialize=False)

    objects = EventQuerySet.as_manager()
    markdown_fields = {"abstract": "abstract_html", "body": "body_html"}
    alt_text_fields = {"image": "image_alt"}
    listing_kind = "events"

    class Meta:
        ordering = ["-date", "-pk"]
        db_table = "pages_event"  # the table it had in `pages` (every row kept)
        verbose_name = _("event")
        # Newest first without sorting every row (the home page and feeds take a few).
        indexes = [models.Index(fields=["status", "date"], name="event_listing")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:event_detail", kwargs={"slug": self.slug})

    @property
    def listing_date(self):
        return self.date

    def listing_summary(self):
        return escape(self.summary or Truncator(strip_tags(self.abstract_html)).chars(160))

    def link_buttons(self):
        fields = [("url_pdf", _("PDF")), ("url_slides", _("Slides")), ("url_video", _("Video")),
                  ("url_code", _("Code"))]  # fmt: skip
        buttons = [LinkButton(label, getattr(self, f), f.removeprefix("url_"))
                   for f, label in fields if getattr(self, f)]  # fmt: skip
        if self.event_url:
            buttons.insert(0, LinkButton(_("Event"), self.event_url, "event"))
        return buttons
