"""Content health: what needs an editor's attention, each line linking to its form.

`report()` lists, in a fixed number of queries (one or two per check, whatever the
data size): images without alt text, people without photo or bio, publications
without PDF, DOI or link, duplicate publications (same DOI or title), broken
internal links in Markdown, external links that failed when last checked (the
results `check_content --links` stored in `airml.LinkCheck`; nothing is fetched
during a request), profiles untouched for a year and alumni without "now at".
The admin page and `manage.py check_content` both print it.
"""

import dataclasses
import datetime
import re

from django.contrib.redirects.models import Redirect
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from airml.models import LinkCheck
from news.models import Event, NewsItem
from pages.models import Page, Section, SectionPhoto
from people.models import MemberStatus, Person
from research.models import Project, Publication, ResearchDirection

PUBLIC_MODELS = [Person, Publication, Project, ResearchDirection, NewsItem, Event, Page]
HREF = re.compile(r'\bhref="([^"]+)"')
STALE_AFTER = datetime.timedelta(days=365)


@dataclasses.dataclass(frozen=True)
class Problem:
    check: str
    label: str
    detail: str
    admin_url: str


CHECKS = {
    "alt": _("Images without alt text"),
    "person": _("People without photo or bio"),
    "publication_links": _("Publications without PDF, DOI or link"),
    "duplicates": _("Duplicate publications"),
    "internal_links": _("Broken internal links in Markdown"),
    "external_links": _("External links that fail"),
    "stale": _("Profiles untouched for a year"),
    "alumni": _("Alumni without “now at”"),
}


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def _images_without_alt():
    for model in PUBLIC_MODELS:
        for image, alt in getattr(model, "alt_text_fields", {}).items():
            if model is Person:
                continue  # a person's photo has a default description ("Photo of ...")
            for obj in model.objects.exclude(**{image: ""}).filter(**{alt: ""}):
                yield Problem("alt", str(obj), _("the image has no description"), change_url(obj))
    photos = SectionPhoto.objects.filter(alt="").exclude(image="").select_related("section__page")
    for photo in photos:
        yield Problem("alt", str(photo.section.page), _("a section photo has no description"),
                      change_url(photo.section))  # fmt: skip


def _people_without_photo_or_bio():
    people = Person.objects.filter(member_status=MemberStatus.CURRENT).filter(
        Q(avatar="") | Q(bio="", short_bio="")
    )
    for person in people:
        missing = [str(_("photo")) if not person.avatar else "",
                   str(_("bio")) if not (person.bio or person.short_bio) else ""]  # fmt: skip
        yield Problem("person", str(person), " ".join(m for m in missing if m), change_url(person))


def _publications_without_links():
    for pub in Publication.objects.filter(url_pdf="", doi="", url_project="", url_code=""):
        yield Problem("publication_links", str(pub), _("no PDF, DOI or link"), change_url(pub))


def _duplicate_publications():
    dois = (Publication.objects.exclude(doi="").annotate(key=Lower("doi")).values("key")
            .annotate(n=Count("pk")).filter(n__gt=1).values("key"))  # fmt: skip
    titles = (Publication.objects.annotate(key=Lower("title")).values("key")
              .annotate(n=Count("pk")).filter(n__gt=1).values("key"))  # fmt: skip
    duplicates = Publication.objects.annotate(doi_key=Lower("doi"), title_key=Lower("title"))
    duplicates = duplicates.filter(Q(doi_key__in=dois) | Q(title_key__in=titles))
    for pub in duplicates.order_by("title", "pk"):
        what = _("same DOI or title as another publication")
        yield Problem("duplicates", str(pub), what, change_url(pub))


def _known_paths():
    paths = set(Redirect.objects.values_list("old_path", flat=True))
    for model in PUBLIC_MODELS:
        for slug in model.objects.values_list("slug", flat=True):
            paths.add(model(slug=slug).get_absolute_url())
    return paths


def _path_exists(path, known):
    path = path.split("#")[0].split("?")[0]
    if not path.startswith("/") or path.startswith("//") or path.startswith("/media/"):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return path in known
    return "slug" not in match.kwargs or path in known


def _markdown_objects():
    for model in [*PUBLIC_MODELS, Section]:
        targets = list(getattr(model, "markdown_fields", {}).values())
        if targets:
            yield from model.objects.only("pk", *targets, *_label_fields(model))


def _label_fields(model):
    return {Section: ["title", "kind", "page"], Person: ["first_name", "last_name",
            "display_name"]}.get(model, ["title"])  # fmt: skip


def _broken_internal_links():
    known = _known_paths()
    for obj in _markdown_objects():
        for target in obj.markdown_fields.values():
            for href in HREF.findall(getattr(obj, target) or ""):
                if not _path_exists(href, known):
                    yield Problem("internal_links", str(obj), href, change_url(obj))


def _failing_external_links():
    failed = LinkCheck.objects.filter(Q(status__gte=400) | ~Q(error="") | Q(status=None))
    failures = {check.url: check for check in failed}
    if not failures:
        return
    for url, obj in external_links():
        check = failures.get(url)
        if check is not None:
            detail = f"{url}: {check.error or check.status}"
            yield Problem("external_links", str(obj), detail, change_url(obj))


URL_FIELDS = {
    Person: ["now_at_url"],
    Publication: ["url_pdf", "url_code", "url_dataset", "url_project", "url_poster",
                  "url_slides", "url_video"],
    Project: ["url_code"],
    Event: ["event_url", "url_pdf", "url_slides", "url_video", "url_code"],
}  # fmt: skip


def external_links():
    """(url, object) for every external link in URL fields and rendered Markdown."""
    for model, fields in URL_FIELDS.items():
        fields = [f for f in fields if f in {x.name for x in model._meta.fields}]
        for obj in model.objects.all():
            for name in fields:
                if getattr(obj, name):
                    yield getattr(obj, name), obj
    for obj in _markdown_objects():
        for target in obj.markdown_fields.values():
            for href in HREF.findall(getattr(obj, target) or ""):
                if href.startswith(("http://", "https://")):
                    yield href.replace("&amp;", "&"), obj


def _stale_profiles():
    cutoff = timezone.now() - STALE_AFTER
    for person in Person.objects.filter(member_status=MemberStatus.CURRENT, modified__lt=cutoff):
        when = timezone.localdate(person.modified).isoformat()
        yield Problem("stale", str(person), _("last changed %s") % when, change_url(person))


def _alumni_without_now_at():
    for person in Person.objects.filter(member_status=MemberStatus.ALUMNI, now_at=""):
        yield Problem("alumni", str(person), _("where did they go next?"), change_url(person))


def report():
    """Every problem, grouped by check (in CHECKS order)."""
    found = {key: [] for key in CHECKS}
    for producer in (_images_without_alt, _people_without_photo_or_bio,
                     _publications_without_links, _duplicate_publications,
                     _broken_internal_links, _failing_external_links, _stale_profiles,
                     _alumni_without_now_at):  # fmt: skip
        for problem in producer():
            found[problem.check].append(problem)
    return found


def warning_count():
    return sum(len(problems) for problems in report().values())
