"""Values as Hugo sites write them: text, numbers, booleans, dates, and the vocabularies
(views, section types, publication types, icons) the mappers translate."""

import datetime
import hashlib
import re

from django.utils import timezone
from django.utils.text import slugify

from pages.models import (
    Collection,
)
from people.models import (
    Membership,
)

IMPORTER_VERSION = "2"  # part of every checksum: a new mapping re-imports everything

VIEWS = {
    "1": "list",
    "2": "compact",
    "3": "card",
    "4": "citation",
    "5": "showcase",
    "list": "list",
    "compact": "compact",
    "card": "card",
    "citation": "citation",
    "showcase": "showcase",
    "masonry": "card",
    "list-news-clean": "news",
    "news": "news",
    "date-title-summary": "compact",
}
PAGE_TYPES = {
    "post": Collection.NEWS,
    "posts": Collection.NEWS,
    "news": Collection.NEWS,
    "publication": Collection.PUBLICATIONS,
    "publications": Collection.PUBLICATIONS,
    "project": Collection.PROJECTS,
    "projects": Collection.PROJECTS,
    "event": Collection.EVENTS,
    "events": Collection.EVENTS,
    "talk": Collection.EVENTS,
    "authors": Collection.PEOPLE,
    "author": Collection.PEOPLE,
}
# Hugo section -> (our collection page slug, old URL prefix)
SECTIONS = {
    "post": "news",
    "blog": "news",
    "publication": "publications",
    "project": "projects",
    "event": "events",
    "talk": "events",
}
LEGACY_TYPES = {
    "0": "other",
    "1": "paper-conference",
    "2": "article-journal",
    "3": "preprint",
    "4": "report",
    "5": "book",
    "6": "chapter",
    "7": "thesis",
    "8": "patent",
}
TYPE_LABELS = {
    "conference paper": "paper-conference",
    "conference": "paper-conference",
    "journal article": "article-journal",
    "journal": "article-journal",
    "article": "preprint",
    "preprint": "preprint",
    "working paper": "preprint",
    "report": "report",
    "book": "book",
    "book section": "chapter",
    "book chapter": "chapter",
    "chapter": "chapter",
    "thesis": "thesis",
    "patent": "patent",
    "workshop": "workshop",
    "workshop paper": "workshop",
    "uncategorized": "other",
}
SOCIAL = {
    "envelope": "email",
    "email": "email",
    "google-scholar": "google-scholar",
    "github": "github",
    "linkedin": "linkedin",
    "twitter": "twitter",
    "x-twitter": "twitter",
    "orcid": "orcid",
    "globe": "website",
    "link": "website",
    "home": "website",
    "bluesky": "bluesky",
    "mastodon": "mastodon",
}
WIDGET_KINDS = {
    "hero": "hero",
    "hero-image": "hero",
    "about": "about",
    "biography": "about",
    "resume-biography": "about",
    "resume-biography-3": "about",
    "blank": "markdown",
    "markdown": "markdown",
    "text": "markdown",
    "pages": "collection",
    "posts": "collection",
    "collection": "collection",
    "portfolio": "collection",
    "featured": "collection",
    "publications": "collection",
    "talks": "collection",
    "people": "people",
    "contact": "contact",
    "cta": "cta",
    "cta-card": "cta",
    "cta-button-list": "cta",
}
WIDGET_PAGE_TYPE = {
    "portfolio": "project",
    "publications": "publication",
    "talks": "event",
    "posts": "post",
    "featured": "publication",
}
MEMBERSHIP_WORDS = [
    ("postdoc", Membership.POSTDOC),
    ("post-doc", Membership.POSTDOC),
    ("phd", Membership.PHD),
    ("doctoral", Membership.PHD),
    ("professor", Membership.FACULTY),
    ("lecturer", Membership.FACULTY),
    ("master", Membership.MASTERS),
    ("msc", Membership.MASTERS),
    ("intern", Membership.INTERN),
    ("visit", Membership.VISITOR),
    ("thesis", Membership.THESIS),
    ("bachelor", Membership.THESIS),
    ("administ", Membership.STAFF),
    ("engineer", Membership.STAFF),
]


def _text(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return str(value).strip()


def _markdown_inline(value):
    """'*Journal of Things*' -> 'Journal of Things' (venues are plain text here)."""
    return re.sub(r"(^|\s)[*_]{1,2}|[*_]{1,2}(?=\s|$|[.,;:])", r"\1", _text(value)).strip()


def _number(value, default=0):
    """A front matter number (weight, order); anything else counts as `default`."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return default
    if number != number or abs(number) > 1_000_000:  # NaN, infinities, absurd values
        return default
    return int(number)


def _number_text(value):
    """A coordinate as text ('46.5'), or '' when it is not a number."""
    text = _text(value)
    return text[:20] if re.fullmatch(r"-?\d{1,3}(\.\d+)?", text) else ""


def _page_slug(name):
    """A page slug from a folder or file name; non-Latin names get a stable one."""
    slug = slugify(name)[:90]
    return slug or "page-" + hashlib.sha256(name.encode()).hexdigest()[:8]


def _bool(value):
    """Front matter booleans, including the strings people write ("false", "no")."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "on", "1")
    return bool(value)


def _list(value):
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


class ImpossibleDate(ValueError):
    """A date that names no day (2024-13-45): an error, never silently today."""

    def __init__(self, text):
        self.text = text
        super().__init__(f"impossible date '{text}'")


def _parse_datetime(value):
    if isinstance(value, datetime.datetime):
        parsed = value
    elif isinstance(value, datetime.date):
        parsed = datetime.datetime(value.year, value.month, value.day)
    else:
        text = _text(value)
        if not text:
            return None
        text = text.replace("Z", "+00:00")
        try:
            parsed = datetime.datetime.fromisoformat(text)
        except ValueError:
            found = re.match(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", text)
            if not found:
                return None
            year, month, day = (int(g) if g else 1 for g in found.groups())
            try:
                parsed = datetime.datetime(year, month, day)
            except ValueError:
                raise ImpossibleDate(_text(value)) from None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, datetime.UTC)
    return parsed
