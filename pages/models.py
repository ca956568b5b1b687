"""Site settings, menu, Pages made of ordered Sections, and contact messages.

Pages list the other apps' published content (`collection_queryset`)."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from airml.cache import bump_content_version
from airml.images import SafeImageField
from airml.models import (
    ListingView,
    MarkdownModel,
    PublishableModel,
    PublishedQuerySet,
    TimeStampedModel,
    choice_label,
)
from airml.validators import validate_link
from news.models import Event, NewsItem
from people.models import Group, Person, SocialLink, clean_link_for_kind, validate_social_link
from research.models import Project, Publication, PublicationType, ResearchDirection, Tag

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


# Pages every lab site has: if no Page with this slug exists yet, it still works.
# (Also the sitemap's standard pages, and the search page's "Browse" links.)
DEFAULT_PAGES = {
    "news": (_("News"), Collection.NEWS, ListingView.NEWS),
    "events": (_("Events and talks"), Collection.EVENTS, ListingView.LIST),
    "publications": (_("Publications"), Collection.PUBLICATIONS, ListingView.CITATION),
    "projects": (_("Projects"), Collection.PROJECTS, ListingView.CARD),
    "people": (_("People"), Collection.PEOPLE, ListingView.CARD),
    "research": (_("Research"), Collection.DIRECTIONS, ListingView.COMPACT),
}


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

    # Kept by search.registry (PostgreSQL; NULL elsewhere); derived, so not serialized.
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
