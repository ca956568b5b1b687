"""Person and Group: who is in the lab, in which group, and where alumni went."""

import datetime
import re

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from airml.images import AltTextRequiredMixin, SafeImageField
from airml.models import (
    ListingView,
    MarkdownModel,
    PublishableModel,
    PublishedQuerySet,
    choice_label,
)
from airml.validators import is_email_link, validate_link, validate_link_for_kind


class Group(models.Model):
    """A heading on the people page ("Lab Members", "Affiliated Students", ...)."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True)
    order = models.PositiveIntegerField(
        _("order"), default=0, help_text=_("Groups are shown on the people page in this order.")
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    view = models.CharField(
        _("view"), max_length=10, choices=ListingView.choices, default=ListingView.CARD,
        help_text=_("How this group's members are listed."),
    )  # fmt: skip

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("group")

    def __str__(self):
        return self.name


class MemberStatus(models.TextChoices):
    CURRENT = "current", _("Current member")
    ALUMNI = "alumni", _("Alumni")


class Membership(models.TextChoices):
    FACULTY = "faculty", _("Faculty")
    POSTDOC = "postdoc", _("Postdoctoral researcher")
    PHD = "phd", _("PhD student")
    MASTERS = "masters", _("Master's student")
    AFFILIATED = "affiliated", _("Affiliated student")
    COADVISED = "coadvised", _("Co-advised student")
    THESIS = "thesis", _("Thesis student")
    INTERN = "intern", _("Intern")
    VISITOR = "visitor", _("Visitor")
    STAFF = "staff", _("Staff")
    OTHER = "other", _("Other")


# The alumni part of the people page: heading -> kinds of membership it holds.
ALUMNI_SECTIONS = [
    (_("Former members"), {"faculty", "postdoc", "phd", "masters", "affiliated", "coadvised",
                           "staff", "other"}),
    (_("Thesis students"), {"thesis"}),
    (_("Interns and visitors"), {"intern", "visitor"}),
]  # fmt: skip


ORCID = re.compile(r"^(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])/?$", re.I)
OPENALEX_AUTHOR = re.compile(r"^(?:https?://openalex\.org/)?(A\d{4,12})/?$", re.I)


def orcid_checksum(digits):
    """ISO 7064 MOD 11-2 check character of an ORCID iD's first 15 digits."""
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def normalise_orcid(value):
    """'0000-0002-9341-7985' from an iD or its orcid.org address; '' if it is not one."""
    match = ORCID.match((value or "").strip())
    if not match:
        return ""
    orcid = match.group(1).upper()
    digits = orcid.replace("-", "")
    return orcid if orcid_checksum(digits[:15]) == digits[15] else ""


def validate_orcid(value):
    if value and not normalise_orcid(value):
        raise ValidationError(
            _("Not an ORCID iD: give its 16 characters as 0000-0002-1825-0097 (the last "
              "is a check digit, 0-9 or X)."),
        )  # fmt: skip


def normalise_openalex_id(value):
    match = OPENALEX_AUTHOR.match((value or "").strip())
    return match.group(1).upper() if match else ""


def validate_openalex_id(value):
    if value and not normalise_openalex_id(value):
        raise ValidationError(_("Not an OpenAlex author id: it looks like A5023888391."))


class PersonQuerySet(PublishedQuerySet):
    def current(self):
        return self.filter(member_status=MemberStatus.CURRENT)

    def alumni(self):
        return self.filter(member_status=MemberStatus.ALUMNI)

    def listed(self):
        """People shown on the people page and in people sections (profile-only
        people keep their own page and author links)."""
        return self.filter(listed=True)

    def for_listing(self):
        # Links are prefetched into a plain list (`listing_links`): a page of 200 people
        # would otherwise build a related queryset per person.
        return self.prefetch_related(
            models.Prefetch("social_links", to_attr="_listing_links")
        ).order_by("order", "last_name", "first_name")

    def for_detail(self):
        return self.prefetch_related("groups", "social_links", "education", "organisations")


class Person(AltTextRequiredMixin, MarkdownModel, PublishableModel):
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    display_name = models.CharField(
        _("display name"), max_length=200, blank=True,
        help_text=_("Shown on the site; leave empty to use first and last name."),
    )  # fmt: skip
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    aliases = models.TextField(
        _("name variants"), blank=True,
        help_text=_("Other spellings used in author lists, one per line (e.g. 'J. Doe')."),
    )  # fmt: skip
    role = models.CharField(
        _("role"), max_length=150, blank=True, help_text=_("E.g. 'PhD student', 'Professor'.")
    )
    membership = models.CharField(
        _("kind of membership"), max_length=12, choices=Membership.choices,
        default=Membership.PHD,
    )  # fmt: skip
    member_status = models.CharField(
        _("member status"), max_length=8, choices=MemberStatus.choices,
        default=MemberStatus.CURRENT, db_index=True,
        help_text=_("Set to Alumni when the person leaves: they move to the alumni list."),
    )  # fmt: skip
    listed = models.BooleanField(
        _("listed on the people page"), default=True,
        help_text=_("Untick for a profile only: their page and author links stay, but they "
                    "are not listed among members or alumni."),
    )  # fmt: skip
    groups = models.ManyToManyField(Group, blank=True, related_name="people")
    order = models.IntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first within a group.")
    )
    start_date = models.DateField(_("joined"), null=True, blank=True)
    end_date = models.DateField(_("left"), null=True, blank=True)
    co_advisors = models.CharField(
        _("co-advisors"), max_length=300, blank=True,
        help_text=_("E.g. 'co-advised with Prof. Jane Roe (MIT)'."),
    )  # fmt: skip
    now_at = models.CharField(
        _("now at"), max_length=200, blank=True, help_text=_("For alumni: where they went next.")
    )
    now_at_url = models.URLField(_("now at (link)"), blank=True)
    avatar = SafeImageField(_("avatar"), upload_to="avatars/", blank=True)
    avatar_alt = models.CharField(
        _("avatar description"), max_length=200, blank=True,
        help_text=_("Alt text for the photo; defaults to 'Photo of <name>'."),
    )  # fmt: skip
    short_bio = models.CharField(_("short bio"), max_length=300, blank=True)
    bio = models.TextField(_("biography (Markdown)"), blank=True)
    bio_html = models.TextField(editable=False, blank=True)
    interests = models.TextField(_("interests"), blank=True, help_text=_("One per line."))
    email = models.EmailField(_("email"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="person", help_text=_("The account that may edit this profile."),
    )  # fmt: skip

    orcid = models.CharField(
        _("ORCID iD"), max_length=40, blank=True, validators=[validate_orcid],
        help_text=_("E.g. 0000-0002-1825-0097: their works are proposed in the publication "
                    "inbox (Publications › Inbox) for them to accept or reject."),
    )  # fmt: skip
    openalex_id = models.CharField(
        _("OpenAlex author id"), max_length=60, blank=True, validators=[validate_openalex_id],
        help_text=_("Optional, e.g. A5023888391: also proposes works ORCID does not list."),
    )  # fmt: skip

    # Kept by search.registry (PostgreSQL; NULL elsewhere); derived, so not serialized.
    search_document = SearchVectorField(null=True, editable=False, serialize=False)

    objects = PersonQuerySet.as_manager()
    markdown_fields = {"bio": "bio_html"}
    alt_text_fields = {"avatar": "avatar_alt"}

    class Meta:
        ordering = ["order", "last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.shown_name(self.first_name, self.last_name, self.display_name)

    @staticmethod
    def shown_name(first_name, last_name, display_name=""):
        """The name the site shows, from the stored fields (also for rows read as values)."""
        return display_name or f"{first_name} {last_name}".strip()

    @property
    def listing_links(self):
        try:
            return self._listing_links
        except AttributeError:
            return list(self.social_links.all())

    @property
    def membership_label(self):
        return choice_label(Membership, self.membership)

    @property
    def is_alumni(self):
        return self.member_status == MemberStatus.ALUMNI

    @property
    def interest_list(self):
        return [line.strip() for line in self.interests.splitlines() if line.strip()]

    @property
    def name_variants(self):
        variants = {self.name, f"{self.first_name} {self.last_name}".strip()}
        variants.update(line.strip() for line in self.aliases.splitlines() if line.strip())
        return {v for v in variants if v}

    def get_absolute_url(self):
        return reverse("people:person_detail", kwargs={"slug": self.slug})

    # Uniform listing interface (used by templates/listing/*.html).
    listing_kind = "people"

    @property
    def title(self):
        return self.name

    listing_date = None

    def listing_summary(self):
        return escape(self.short_bio)

    @property
    def image(self):
        return self.avatar

    @property
    def image_alt(self):
        return self.avatar_alt or f"Photo of {self.name}"

    def schema_org(self, request, affiliation=None):
        """schema.org Person data for JSON-LD (needs `social_links` and `organisations`
        prefetched, as `for_detail()` does). `affiliation`: the lab, as a dict."""
        data = {
            "@context": "https://schema.org",
            "@type": "Person",
            "name": self.name,
            "url": request.build_absolute_uri(self.get_absolute_url()),
        }
        if self.role:
            data["jobTitle"] = self.role
        organisations = [affiliation] if affiliation else []
        organisations += [
            {"@type": "Organization", "name": org.name} | ({"url": org.url} if org.url else {})
            for org in self.organisations.all()
        ]  # fmt: skip
        if organisations:
            data["affiliation"] = organisations
        if self.avatar:
            data["image"] = request.build_absolute_uri(self.avatar.url)
        if self.email:
            data["email"] = self.email
        same_as = [
            link.url for link in self.social_links.all() if link.kind != SocialLink.Kind.EMAIL
        ]
        if same_as:
            data["sameAs"] = same_as
        return data


def validate_social_link(value):
    """A web or mailto link, or a bare email address (shown as mailto:).

    Whether it fits the link's kind is checked by the model's clean().
    """
    if "@" in value and ":" not in value and "/" not in value:
        if not is_email_link(value):
            validate_link("")  # refused: not an address
        return
    validate_link(value)
    if value.startswith(("/", "#")):
        validate_link("")  # a site path is not a social link


def clean_link_for_kind(link):
    """Model clean() of a profile link: its url must fit its kind."""
    if link.kind and link.url:
        try:
            validate_link_for_kind(link.kind, link.url)
        except ValidationError as error:
            raise ValidationError({"url": error.messages}) from error


class SocialLink(models.Model):
    class Kind(models.TextChoices):
        WEBSITE = "website", _("Website")
        EMAIL = "email", _("Email")
        SCHOLAR = "google-scholar", _("Google Scholar")
        GITHUB = "github", _("GitHub")
        LINKEDIN = "linkedin", _("LinkedIn")
        ORCID = "orcid", _("ORCID")
        TWITTER = "twitter", _("X / Twitter")
        BLUESKY = "bluesky", _("Bluesky")
        MASTODON = "mastodon", _("Mastodon")
        OTHER = "other", _("Other")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="social_links")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    url = models.CharField(
        _("link"),
        max_length=500,
        validators=[validate_social_link],
        help_text=_("A full URL, or an address for email."),
    )
    label = models.CharField(_("label"), max_length=80, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.display_label

    def clean(self):
        clean_link_for_kind(self)

    @property
    def display_label(self):
        return self.label or choice_label(self.Kind, self.kind)

    @property
    def href(self):
        if self.kind == self.Kind.EMAIL and not self.url.startswith("mailto:"):
            return f"mailto:{self.url}"
        return self.url


class Education(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="education")
    course = models.CharField(_("degree or course"), max_length=200)
    institution = models.CharField(_("institution"), max_length=200)
    year = models.CharField(_("year"), max_length=40, blank=True, help_text=_("E.g. 2017–2022."))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name_plural = _("education")

    def __str__(self):
        return f"{self.course}, {self.institution}"


class Organisation(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="organisations")
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("URL"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


def people_page_groups(people, groups):
    """Bucket published people into (group, members) rows and alumni sections.

    Two queries: the people (with their links), then who is in which group, as id
    pairs. Returns (group_rows, alumni_rows); each row is (heading, view, [people]).
    """
    people = list(people)
    memberships = {}
    pairs = Person.groups.through.objects.filter(person__in=[p.pk for p in people])
    for person_id, group_id in pairs.values_list("person_id", "group_id").order_by("pk"):
        memberships.setdefault(person_id, []).append(group_id)
    by_group = {group.pk: [] for group in groups}
    ungrouped = []
    alumni = []
    for person in people:
        if person.is_alumni:
            alumni.append(person)
            continue
        placed = False
        for group_id in memberships.get(person.pk, ()):
            if group_id in by_group:
                by_group[group_id].append(person)
                placed = True
        if not placed:
            ungrouped.append(person)
    rows = [(g.name, g.view, by_group[g.pk]) for g in groups if by_group[g.pk]]
    if ungrouped:
        rows.append((_("Members"), ListingView.CARD, ungrouped))
    alumni.sort(key=lambda p: p.end_date or datetime.date.max, reverse=True)
    alumni_rows = []
    for heading, kinds in ALUMNI_SECTIONS:
        members = [p for p in alumni if p.membership in kinds]
        if members:
            alumni_rows.append((heading, ListingView.LIST, members))
    return rows, alumni_rows
