"""Research directions, publications (with ordered authorships) and projects."""

import re
from typing import NamedTuple

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from airml.images import AltTextRequiredMixin, SafeImageField
from airml.models import LinkField, MarkdownModel, NamedLink, PublishableModel, PublishedQuerySet
from people.models import Person
from research import metadata


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class DirectionQuerySet(PublishedQuerySet):
    def for_listing(self):
        return self.order_by("order", "title")


class ResearchDirection(AltTextRequiredMixin, MarkdownModel, PublishableModel):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.TextField(
        _("summary (Markdown)"), blank=True, help_text=_("Shown in listings of directions.")
    )
    summary_html = models.TextField(editable=False, blank=True)
    body = models.TextField(
        _("details (Markdown)"), blank=True, help_text=_("Shown on the direction's own page.")
    )
    body_html = models.TextField(editable=False, blank=True)
    order = models.IntegerField(_("order"), default=0, help_text=_("Lower numbers come first."))
    image = SafeImageField(_("image"), upload_to="research/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=200, blank=True)
    people = models.ManyToManyField(Person, blank=True, related_name="directions")

    # Kept by search.registry (PostgreSQL; NULL elsewhere); derived, so not serialized.
    search_document = SearchVectorField(null=True, editable=False, serialize=False)

    objects = DirectionQuerySet.as_manager()
    markdown_fields = {"summary": "summary_html", "body": "body_html"}
    alt_text_fields = {"image": "image_alt"}
    listing_kind = "directions"

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("research direction")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("research:direction_detail", kwargs={"slug": self.slug})

    def listing_summary(self):
        return mark_safe(self.summary_html)  # noqa: S308 - sanitised on save

    listing_date = None


class PublicationType(models.TextChoices):
    CONFERENCE = "paper-conference", _("Conference paper")
    JOURNAL = "article-journal", _("Journal article")
    PREPRINT = "preprint", _("Preprint")
    REPORT = "report", _("Report")
    BOOK = "book", _("Book")
    CHAPTER = "chapter", _("Book chapter")
    THESIS = "thesis", _("Thesis")
    PATENT = "patent", _("Patent")
    WORKSHOP = "workshop", _("Workshop paper")
    OTHER = "other", _("Other")


class Presentation(models.TextChoices):
    NONE = "", _("—")
    ORAL = "oral", _("Oral")
    SPOTLIGHT = "spotlight", _("Spotlight")
    POSTER = "poster", _("Poster")
    INVITED = "invited", _("Invited talk")


class VersionKind(models.TextChoices):
    NONE = "", _("—")
    PREPRINT = "preprint", _("Preprint")
    WORKSHOP = "workshop", _("Workshop version")
    CONFERENCE = "conference", _("Conference version")
    JOURNAL = "journal", _("Journal extension")
    EXTENDED = "extended", _("Extended version")


class DatePrecision(models.TextChoices):
    YEAR = "year", _("Year")
    MONTH = "month", _("Month")
    DAY = "day", _("Day")
    NONE = "none", _("No date (n.d.)")


NO_DATE = "n.d."  # APA's form for an undated work
# Newest first; undated works (no date) last, on SQLite and PostgreSQL alike.
NEWEST_FIRST = [models.F("date").desc(nulls_last=True), "title"]


def _bib(label, max_length=300, **kwargs):
    return models.CharField(label, max_length=max_length, blank=True, **kwargs)


class PublicationQuerySet(PublishedQuerySet):
    def with_authors(self):
        authors = Authorship.objects.select_related("person").order_by("order", "pk")
        return self.prefetch_related(Prefetch("authorships", queryset=authors)).order_by(
            *NEWEST_FIRST
        )

    def for_listing(self):
        """Lists show a paper once: a preprint joined to its published version is that
        version's arXiv button, not a row of its own (its page stays)."""
        published = Publication.objects.published().values("pk")
        return self.with_authors().exclude(
            version_kind=VersionKind.PREPRINT, version_of__in=published
        )

    def for_detail(self):
        # All versions, published or not (`public_versions` picks): with the publishing
        # filter in SQL, SQLite walks the listing index instead of `version_of`'s.
        versions = Publication.objects.order_by("date", "pk")
        return (
            self.with_authors()
            .select_related("version_of")
            .prefetch_related(
                "links", "tags", "directions", "projects",
                Prefetch("versions", queryset=versions, to_attr="all_versions"),
            )
        )  # fmt: skip

    def for_export(self):
        return self.for_listing().prefetch_related("tags")

    def first_page(self, limit=20):
        """(the first `limit` items, whether there are more): one query, no count."""
        rows = list(self[: limit + 1])
        return rows[:limit], len(rows) > limit

    def by_person(self, person):
        return self.filter(authorships__person=person).distinct()


# Buttons shown for a publication or project, in this order: (field, label).
LINK_FIELDS = [
    ("url_pdf", _("PDF")),
    ("url_code", _("Code")),
    ("url_dataset", _("Dataset")),
    ("url_project", _("Project")),
    ("url_poster", _("Poster")),
    ("url_slides", _("Slides")),
    ("url_video", _("Video")),
]


class LinkButton(NamedTuple):
    label: str
    url: str
    kind: str  # the icon's name in static/icons/sprite.svg ("pdf", "doi", ...)


ARXIV_ID = re.compile(r"(arxiv:)?(\d{4}\.\d{4,5}|[a-z.-]+/\d{7})(v\d+)?", re.I)


class LinkButtonsMixin:
    def link_buttons(self):
        """A LinkButton for each link set (kind: the field name without `url_`), then
        the DOI."""
        buttons = [
            LinkButton(label, getattr(self, f), f.removeprefix("url_"))
            for f, label in LINK_FIELDS
            if getattr(self, f, "")
        ]
        doi = getattr(self, "doi", "")
        if doi:
            buttons.append(LinkButton("DOI", f"https://doi.org/{doi}", "doi"))
        arxiv_id = getattr(self, "arxiv_id", "")
        if arxiv_id:
            buttons.append(LinkButton("arXiv", f"https://arxiv.org/abs/{arxiv_id}", "arxiv"))
        url = getattr(self, "url", "")
        if url and url not in {button.url for button in buttons}:
            buttons.append(LinkButton(_("Web page"), url, "website"))
        return buttons


class Project(AltTextRequiredMixin, LinkButtonsMixin, MarkdownModel, PublishableModel):
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.TextField(_("summary"), blank=True, help_text=_("One or two sentences."))
    body = models.TextField(_("description (Markdown)"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    image = SafeImageField(_("featured image"), upload_to="projects/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=200, blank=True)
    image_caption = models.CharField(_("image caption"), max_length=300, blank=True)
    external_url = models.URLField(
        _("external page"), blank=True, help_text=_("If set, listings link here instead.")
    )
    url_pdf = LinkField(_("PDF link"), max_length=500, blank=True)
    url_code = LinkField(_("code link"), max_length=500, blank=True)
    url_dataset = LinkField(_("dataset link"), max_length=500, blank=True)
    url_slides = LinkField(_("slides link"), max_length=500, blank=True)
    url_video = LinkField(_("video link"), max_length=500, blank=True)
    featured = models.BooleanField(_("featured"), default=False)
    order = models.IntegerField(_("order"), default=0)
    directions = models.ManyToManyField(ResearchDirection, blank=True, related_name="projects")
    people = models.ManyToManyField(Person, blank=True, related_name="projects")
    tags = models.ManyToManyField(Tag, blank=True, related_name="projects")

    # Kept by search.registry (PostgreSQL; NULL elsewhere); derived, so not serialized.
    search_document = SearchVectorField(null=True, editable=False, serialize=False)

    objects = PublishedQuerySet.as_manager()
    markdown_fields = {"body": "body_html"}
    alt_text_fields = {"image": "image_alt"}
    listing_kind = "projects"

    class Meta:
        ordering = ["order", "-date", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("research:project_detail", kwargs={"slug": self.slug})

    def listing_summary(self):
        return escape(self.summary)

    @property
    def listing_date(self):
        return self.date


class ProjectLink(NamedLink):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="links")


class Publication(AltTextRequiredMixin, LinkButtonsMixin, MarkdownModel, PublishableModel):
    title = models.CharField(_("title"), max_length=400)
    slug = models.SlugField(
        _("slug"), max_length=120, unique=True, help_text=_("Usually the BibTeX key.")
    )
    date = models.DateField(
        _("date"), null=True, blank=True,
        help_text=_("Publication date; the year is what's cited. Empty only for an undated "
                    "work (precision 'No date'): it is listed as 'n.d.'."),
    )  # fmt: skip
    date_precision = models.CharField(
        _("date known to the"), max_length=5, choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("Only this much of the date is shown and exported (a year-only entry "
                    "is never shown as 'January')."),
    )  # fmt: skip
    pub_type = models.CharField(
        _("type"), max_length=20, choices=PublicationType.choices,
        default=PublicationType.CONFERENCE,
    )  # fmt: skip
    venue = models.CharField(
        _("venue"), max_length=300, blank=True, help_text=_("Full name of conference/journal.")
    )
    venue_short = models.CharField(_("short venue"), max_length=60, blank=True)
    # Bibliographic details, as BibTeX and CSL know them (exported field by field).
    entry_type = _bib(
        _("BibTeX entry type"),
        40,
        help_text=_("As imported ('article', 'inproceedings', ...); empty: derived from the type."),
    )
    venue_field = _bib(
        _("venue exported as"),
        20,
        help_text=_("'journal' or 'booktitle'; empty: derived from the entry type."),
    )
    volume = _bib(_("volume"), 50)
    number = _bib(_("number (issue)"), 50)
    pages = _bib(_("pages"), 50, help_text=_("As written, e.g. 12--15."))
    publisher = _bib(_("publisher"))
    organization = _bib(_("organization"))
    institution = _bib(_("institution"))
    school = _bib(_("school"))
    address = _bib(_("address"))
    editors = models.TextField(_("editors"), blank=True, help_text=_("Joined by 'and'."))
    edition = _bib(_("edition"), 50)
    series = _bib(_("series"))
    chapter = _bib(_("chapter"), 50)
    isbn = _bib(_("ISBN"), 100)
    issn = _bib(_("ISSN"), 100)
    eprint = _bib(_("eprint (arXiv id)"), 100)
    archive_prefix = _bib(_("archive prefix"), 30, help_text=_("E.g. arXiv."))
    primary_class = _bib(_("primary class"), 50, help_text=_("E.g. cs.LG."))
    url = models.URLField(_("URL"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)
    howpublished = _bib(_("how published"))
    extra_fields = models.JSONField(
        _("other BibTeX fields"), default=dict, blank=True,
        help_text=_("Any other field of the imported entry, kept verbatim and exported."),
    )  # fmt: skip
    abstract = models.TextField(_("abstract (Markdown)"), blank=True)
    abstract_html = models.TextField(editable=False, blank=True)
    summary = models.TextField(_("summary"), blank=True, help_text=_("Optional plain summary."))
    notes = models.TextField(
        _("notes (Markdown)"), blank=True,
        help_text=_("Shown on its page below the abstract: awards, versions, errata."),
    )  # fmt: skip
    notes_html = models.TextField(editable=False, blank=True)
    doi = models.CharField(
        _("DOI"), max_length=200, blank=True, help_text=_("Just the DOI, e.g. 10.1000/xyz123.")
    )
    url_pdf = LinkField(_("PDF link"), max_length=500, blank=True)
    url_code = LinkField(_("code link"), max_length=500, blank=True)
    url_dataset = LinkField(_("dataset link"), max_length=500, blank=True)
    url_project = LinkField(_("project link"), max_length=500, blank=True)
    url_poster = LinkField(_("poster link"), max_length=500, blank=True)
    url_slides = LinkField(_("slides link"), max_length=500, blank=True)
    url_video = LinkField(_("video link"), max_length=500, blank=True)
    image = SafeImageField(_("featured image"), upload_to="publications/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=200, blank=True)
    featured = models.BooleanField(_("featured"), default=False)
    tags = models.ManyToManyField(Tag, blank=True, related_name="publications")
    directions = models.ManyToManyField(ResearchDirection, blank=True, related_name="publications")
    projects = models.ManyToManyField(Project, blank=True, related_name="publications")
    award = models.CharField(
        _("award"), max_length=150, blank=True,
        help_text=_("E.g. 'Distinguished Paper Award'; shown as a badge."),
    )  # fmt: skip
    presentation = models.CharField(
        _("presented as"), max_length=12, choices=Presentation.choices, blank=True
    )
    version_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="versions",
        verbose_name=_("version of"),
        help_text=_("The main publication this one is another version of (e.g. its preprint)."),
    )  # fmt: skip
    version_kind = models.CharField(
        _("kind of version"), max_length=12, choices=VersionKind.choices, blank=True,
        help_text=_("What this publication is, relative to the main one."),
    )  # fmt: skip
    bibtex = models.TextField(
        _("BibTeX (as imported)"), blank=True,
        help_text=_("The raw entry, kept for reference; the BibTeX shown and exported is "
                    "generated from the fields above."),
    )  # fmt: skip
    # Derived from the fields and the authors by research.citations.refresh, which
    # whoever saves a publication with its authors calls once, after saving them.
    citation_html = models.TextField(editable=False, blank=True)
    bibtex_export = models.TextField(editable=False, blank=True)

    # Kept by search.registry (PostgreSQL; NULL elsewhere); derived, so not serialized.
    search_document = SearchVectorField(null=True, editable=False, serialize=False)

    objects = PublicationQuerySet.as_manager()
    markdown_fields = {"abstract": "abstract_html", "notes": "notes_html"}
    alt_text_fields = {"image": "image_alt"}
    listing_kind = "publications"

    class Meta:
        ordering = NEWEST_FIRST
        indexes = [
            # Lists walk published publications newest first, and the filter counts
            # read these columns of every one: from the index, not the wide rows. The
            # version columns are there for `for_listing()`'s hiding of joined
            # preprints: without them every count read the rows (the publications
            # page 1.8x slower at 100x data, bench/site.py).
            models.Index(
                fields=[
                    "status",
                    "date",
                    "publish_at",
                    "pub_type",
                    "featured",
                    "version_kind",
                    "version_of",
                ],
                name="publication_listing_v",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("research:publication_detail", kwargs={"slug": self.slug})

    def bib_url(self):
        return reverse("research:publication_bib", kwargs={"slug": self.slug})

    @property
    def year(self):
        return self.date.year if self.date else None

    @property
    def year_label(self):
        """The year, or APA's 'n.d.' for an undated work."""
        return str(self.date.year) if self.date else NO_DATE

    @property
    def listing_date(self):
        return self.date

    def listing_summary(self):
        text = self.summary or strip_tags(self.abstract_html)
        return escape(Truncator(text).chars(160))

    @property
    def public_versions(self):
        """Published versions of this publication, oldest first (prefetched by `for_detail`)."""
        versions = getattr(self, "all_versions", None)
        if versions is None:
            versions = self.versions.order_by("date", "pk")
        return [version for version in versions if version.is_public]

    @property
    def venue_label(self):
        return self.venue_short or self.venue

    @property
    def arxiv_id(self):
        """The eprint when it is an arXiv identifier (archivePrefix arXiv, or its form)."""
        eprint = self.eprint.strip()
        if eprint and (self.archive_prefix.lower() == "arxiv" or ARXIV_ID.fullmatch(eprint)):
            return re.sub(r"^arxiv:", "", eprint, flags=re.I)
        return ""

    @property
    def page_range(self):
        """(first page, last page) from '12--15', '12–15', '12-' or '12'; '' when absent."""
        parts = [p for p in re.split(r"\s*(?:-+|\u2013|\u2014)\s*", self.pages.strip()) if p]
        first = parts[0] if parts else ""
        last = parts[1] if len(parts) > 1 else ""
        return first, last

    @property
    def page_label(self):
        return re.sub(r"\s*-{1,2}\s*", "\u2013", self.pages)

    @property
    def date_iso(self):
        """The date as far as it is known: '2025', '2025-07' or '2025-07-03'."""
        if self.date is None:
            return ""
        return self.date.isoformat()[: {"year": 4, "month": 7}.get(self.date_precision, 10)]

    @property
    def date_label(self):
        """'2025', 'July 2025' or '3 July 2025': never a month or day the source lacks."""
        if self.date is None:
            return NO_DATE
        formats = {"year": "Y", "month": "F Y"}
        return date_format(self.date, formats.get(self.date_precision, "j F Y"))

    def clean(self):
        super().clean()
        if (self.date is None) != (self.date_precision == DatePrecision.NONE):
            raise ValidationError(
                {
                    "date": _(
                        "Give the date, or choose 'No date' as its "
                        "precision for an undated work (and no date)."
                    )
                }
            )

    def scholar_meta(self, request):
        return metadata.scholar_meta(self, request)

    def schema_org(self, request):
        return metadata.schema_org(self, request)


class PublicationLink(NamedLink):
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="links")


class Authorship(models.Model):
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="authorships"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="authorships",
        help_text=_("Pick the lab member, or leave empty and type the name."),
    )  # fmt: skip
    name = models.CharField(
        _("name"), max_length=200, blank=True, help_text=_("As printed; needed for non-members.")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    note = models.CharField(
        _("note"), max_length=100, blank=True, help_text=_("E.g. 'equal contribution'.")
    )

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.name or (self.person.name if self.person_id else "")

    def clean(self):
        if not self.name and not self.person_id:
            raise ValidationError(_("Give the author's name or pick a lab member."))


from research.citation_counts import CitationCount  # noqa: E402,F401 - a model of this app
from research.import_jobs import BibtexImport  # noqa: E402,F401 - a model of this app
from research.inbox import InboxItem, SyncRun  # noqa: E402,F401 - models of this app
