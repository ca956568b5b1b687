"""Site settings, menu, Pages made of ordered Sections, and news items."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext_lazy as _

from airml.cache import bump_content_version
from airml.images import AltTextRequiredMixin, SafeImageField
from airml.models import (
    LinkField,
    ListingView,
    MarkdownModel,
    PublishableModel,
    PublishedQuerySet,
    Status,
    TimeStampedModel,
    choice_label,
)
from airml.validators import validate_link
from people.models import Group, Person, SocialLink, clean_link_for_kind, validate_social_link
from research.models import (
    LinkButton,
    Project,
    Publication,
    PublicationType,
    ResearchDirection,
    Tag,
)

SITE_CACHE_KEY = "pages:site-context"


class SiteSettings(MarkdownModel, TimeStampedModel):
    """The one row of site-wide settings (name, contact details, footer)."""

    name = models.CharField(_("short name"), max_length=80, default="AIR-ML Lab")
    full_name = models.CharField(
        _("full name"), max_length=200,
        default="Adversarial, Interpretable and Robust Machine Learning Lab",
    )  # fmt: skip
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    description = models.CharField(
        _("description"), max_length=300, blank=True,
        help_text=_("Used by search engines and link previews."),
    )  # fmt: skip
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    address = models.TextField(_("address"), blank=True)
    map_url = models.URLField(_("map link"), blank=True, help_text=_("A plain link to a map."))
    directions = models.TextField(_("directions"), blank=True)
    intro = models.TextField(
        _("home page intro"), blank=True,
        help_text=_("One or two sentences under the lab's name on the home page."),
    )  # fmt: skip
    logo = SafeImageField(_("logo"), upload_to="branding/", blank=True)
    favicon = SafeImageField(
        _("favicon"), upload_to="branding/", blank=True,
        help_text=_("A square image; every icon size browsers ask for is made from it."),
    )  # fmt: skip
    accent_color = models.CharField(
        _("accent colour"), max_length=7, blank=True,
        help_text=_("A hex colour such as #1d4ed8; both themes derive their palette from it."),
    )  # fmt: skip
    footer = models.TextField(_("footer (Markdown)"), blank=True)
    footer_html = models.TextField(editable=False, blank=True)

    markdown_fields = {"footer": "footer_html"}

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def __str__(self):
        return str(_("Site settings"))

    def save(self, *args, **kwargs):
        self.pk = 1  # a singleton
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class SiteLink(models.Model):
    """One of the lab's own profiles (GitHub, Bluesky, ...), shown in the footer."""

    kind = models.CharField(_("kind"), max_length=20, choices=SocialLink.Kind.choices)
    url = models.CharField(
        _("link"), max_length=500, validators=[validate_social_link],
        help_text=_("A full URL, or an address for email."),
    )  # fmt: skip
    label = models.CharField(_("label"), max_length=80, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("lab link")
        verbose_name_plural = _("lab links")

    def __str__(self):
        return self.label or choice_label(SocialLink.Kind, self.kind)

    def clean(self):
        clean_link_for_kind(self)


class MenuItem(models.Model):
    label = models.CharField(_("label"), max_length=60)
    url = models.CharField(
        _("link"),
        max_length=300,
        validators=[validate_link],
        help_text=_("A site path such as /people/ or a full URL."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("menu item")

    def __str__(self):
        return self.label


class Collection(models.TextChoices):
    NONE = "", _("Nothing")
    NEWS = "news", _("News")
    EVENTS = "events", _("Events and talks")
    PUBLICATIONS = "publications", _("Publications")
    PROJECTS = "projects", _("Projects")
    DIRECTIONS = "directions", _("Research directions")
    PEOPLE = "people", _("People")


class CollectionSpec(models.Model):
    """What a page or section lists, how many, filtered how, and in which view."""

    collection = models.CharField(
        _("lists"), max_length=20, choices=Collection.choices, blank=True,
        help_text=_("What is listed after the text."),
    )  # fmt: skip
    view = models.CharField(
        _("view"), max_length=10, choices=ListingView.choices, default=ListingView.COMPACT
    )
    count = models.PositiveIntegerField(_("how many"), default=0, help_text=_("0 lists them all."))
    featured_only = models.BooleanField(_("featured only"), default=False)
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("For people: only this group."),
    )  # fmt: skip
    direction = models.ForeignKey(
        ResearchDirection, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("For publications and projects: only this research direction."),
    )  # fmt: skip
    publication_type = models.CharField(
        _("publication type"), max_length=20, choices=PublicationType.choices, blank=True
    )
    tag = models.ForeignKey(
        Tag, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("For publications and projects: only those with this tag."),
    )  # fmt: skip
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("author"),
        help_text=_("For publications, projects and news: only those of this person."),
    )  # fmt: skip

    class Meta:
        abstract = True


class PageQuerySet(PublishedQuerySet):
    def for_detail(self):
        # `group` heads a people list; a direction only filters one (by its id).
        return self.select_related("group").prefetch_related(
            models.Prefetch(
                "sections", queryset=Section.objects.filter(is_visible=True).select_related("group")
            ),
            "sections__photos",
        )


class Page(MarkdownModel, PublishableModel, CollectionSpec):
    slug = models.SlugField(
        _("slug"), max_length=100, unique=True,
        help_text=_("The page lives at /<slug>/; the slug 'home' is the front page."),
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    body = models.TextField(_("text (Markdown)"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    description = models.CharField(
        _("description"), max_length=300, blank=True, help_text=_("For search engines.")
    )

    # Kept by pages.search (PostgreSQL; NULL elsewhere); derived, so not serialized.
    search_document = SearchVectorField(null=True, editable=False, serialize=False)

    objects = PageQuerySet.as_manager()
    markdown_fields = {"body": "body_html"}

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.slug == "home":
            return reverse("pages:home")
        return reverse("pages:page_detail", kwargs={"slug": self.slug})


class Section(MarkdownModel, CollectionSpec):
    class Kind(models.TextChoices):
        MARKDOWN = "markdown", _("Text")
        HERO = "hero", _("Hero: big title, intro and photos")
        COLLECTION = "collection", _("Collection listing")
        PEOPLE = "people", _("People, grouped")
        CONTACT = "contact", _("Contact details")
        CTA = "cta", _("Call to action")

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.MARKDOWN)
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("text (Markdown)"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    button_label = models.CharField(_("button label"), max_length=60, blank=True)
    button_url = models.CharField(
        _("button link"), max_length=300, blank=True, validators=[validate_link]
    )
    is_visible = models.BooleanField(_("visible"), default=True)

    markdown_fields = {"body": "body_html"}

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title or self.get_kind_display()


class SectionPhoto(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="photos")
    image = SafeImageField(_("image"), upload_to="photos/")
    alt = models.CharField(_("description"), max_length=200, help_text=_("Alt text."))
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.caption or self.alt


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

    # Kept by pages.search (PostgreSQL; NULL elsewhere); derived, so not serialized.
    search_document = SearchVectorField(null=True, editable=False, serialize=False)

    objects = NewsQuerySet.as_manager()
    markdown_fields = {"body": "body_html"}
    alt_text_fields = {"image": "image_alt"}
    listing_kind = "news"

    class Meta:
        ordering = ["-date", "-pk"]
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
        return reverse("pages:news_detail", kwargs={"slug": self.slug})

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

    # Kept by pages.search (PostgreSQL; NULL elsewhere); derived, so not serialized.
    search_document = SearchVectorField(null=True, editable=False, serialize=False)

    objects = EventQuerySet.as_manager()
    markdown_fields = {"abstract": "abstract_html", "body": "body_html"}
    alt_text_fields = {"image": "image_alt"}
    listing_kind = "events"

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("event")
        # Newest first without sorting every row (the home page and feeds take a few).
        indexes = [models.Index(fields=["status", "date"], name="event_listing")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pages:event_detail", kwargs={"slug": self.slug})

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


class ImportedItem(models.Model):
    """Which object a file of an imported Hugo site became, and the file's checksum.

    Lets `import_hugo` run again: unchanged files are skipped, changed ones update
    the object they created (even if its slug was edited since).
    """

    # Never on a public page: saving one leaves cached pages valid (airml.signals).
    shown_to_visitors = False

    source = models.CharField(_("source"), max_length=500, unique=True)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    checksum = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("imported item")

    def __str__(self):
        return self.source


class ContactMessage(TimeStampedModel):
    """A message sent through the contact form; read in the admin."""

    # Never on a public page: saving one leaves cached pages valid (airml.signals).
    shown_to_visitors = False

    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("email"))
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    message = models.TextField(_("message"))
    page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("sent from page"),
    )  # fmt: skip
    is_read = models.BooleanField(
        _("read"), default=False, db_index=True,
        help_text=_("Tick once someone has dealt with it; unread messages are listed first."),
    )  # fmt: skip

    class Meta:
        ordering = ["is_read", "-created"]
        verbose_name = _("contact message")

    def __str__(self):
        return self.subject or Truncator(self.message).chars(60)


def clear_site_cache():
    """Drop the cached site context (and every cached page) by bumping the content version."""
    bump_content_version()


def collection_queryset(spec):
    """The published items a page or section lists, with their named listing query."""
    kind = spec.collection
    if kind == Collection.NEWS:
        qs = NewsItem.objects.published().for_listing()
    elif kind == Collection.PUBLICATIONS:
        qs = Publication.objects.published().for_listing()
        if spec.view == ListingView.CITATION:
            qs = qs.prefetch_related(None)  # the stored citation already names the authors
        if spec.publication_type:
            qs = qs.filter(pub_type=spec.publication_type)
    elif kind == Collection.EVENTS:
        qs = Event.objects.published().for_listing()
    elif kind == Collection.PROJECTS:
        qs = Project.objects.published().order_by("-featured", "order", "-date", "title")
    elif kind == Collection.DIRECTIONS:
        qs = ResearchDirection.objects.published().for_listing()
    elif kind == Collection.PEOPLE:
        qs = Person.objects.published().current().listed().for_listing()
        if spec.group_id:
            qs = qs.filter(groups=spec.group_id)
    else:
        return None
    if spec.featured_only and kind in (Collection.NEWS, Collection.EVENTS,
                                       Collection.PUBLICATIONS, Collection.PROJECTS):  # fmt: skip
        qs = qs.filter(featured=True)
    if spec.direction_id and kind in (Collection.PUBLICATIONS, Collection.PROJECTS):
        qs = qs.filter(directions=spec.direction_id)
    if spec.tag_id and kind in (Collection.PUBLICATIONS, Collection.PROJECTS):
        qs = qs.filter(tags=spec.tag_id)  # one tag: the join repeats no item
    if spec.person_id:
        # A person may be listed twice among one item's authors: a subquery, as the
        # publication filters do (research.filters), so no item repeats.
        by = {Collection.PUBLICATIONS: "authorships__person", Collection.PROJECTS: "people",
              Collection.NEWS: "authors"}.get(kind)  # fmt: skip
        if by is not None:
            qs = qs.filter(pk__in=qs.model.objects.filter(**{by: spec.person_id}).values("pk"))
    return qs


def collection_items(spec):
    """The first `count` items (all when 0) as a list: one query plus prefetches."""
    qs = collection_queryset(spec)
    if qs is None:
        return []
    return list(qs[: spec.count] if spec.count else qs)
