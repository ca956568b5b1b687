"""Map a Hugo Blox / Wowchemy site onto the portal's content models.

Everything happens in one transaction: a malformed file aborts the import with
its name and line and nothing is written (unless `skip_invalid`, which skips
that file and imports the rest, each file in its own savepoint). Each imported
file is remembered with a checksum in `ImportedItem`, so a second run reports
"unchanged" and a changed file updates the object it created.
"""

import datetime
import hashlib
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.text import slugify

from airml.images import clean_upload
from airml.models import ListingView, Status
from airml.validators import is_safe_link
from pages.hugo.reader import HugoSite, SiteError, read_text
from pages.hugo.shortcodes import convert
from pages.models import (
    Collection,
    Event,
    ImportedItem,
    MenuItem,
    NewsItem,
    Page,
    Section,
    SectionPhoto,
    SiteSettings,
    clear_site_cache,
)
from people.models import (
    Education,
    Group,
    Membership,
    MemberStatus,
    Organisation,
    Person,
    SocialLink,
)
from research.bibtex import parse_bibtex
from research.bibtex_import import PersonMatcher, set_bibliographic
from research.citations import refresh_publication
from research.models import (
    Authorship,
    Project,
    ProjectLink,
    Publication,
    PublicationLink,
    PublicationType,
    Tag,
)

IMPORTER_VERSION = "1"  # part of every checksum: a new mapping re-imports everything

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


class ImportFailed(Exception):
    """The site has errors; nothing was written."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class Report:
    counts: dict = field(default_factory=lambda: defaultdict(Counter))
    warnings: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    seconds: float = 0.0
    dry_run: bool = False

    def count(self, kind, action):
        self.counts[kind][action] += 1

    def warn(self, source, message):
        self.warnings.append(f"{source}: {message}")

    @property
    def changed(self):
        return sum(c["created"] + c["updated"] for c in self.counts.values())

    def render(self):
        lines = []
        if self.dry_run:
            lines.append("Dry run: nothing was written. This is what the import would do.")
        lines.append(f"{'content':16} {'created':>8} {'updated':>8} {'unchanged':>10}")
        for kind in sorted(self.counts):
            c = self.counts[kind]
            lines.append(f"{kind:16} {c['created']:8} {c['updated']:8} {c['unchanged']:10}")
        if not self.changed:
            lines.append("Everything unchanged.")
        if self.warnings:
            lines.append(f"Warnings ({len(self.warnings)}):")
            lines += [f"  {w}" for w in self.warnings]
        if self.skipped:
            lines.append(f"Skipped because of errors ({len(self.skipped)}):")
            lines += [f"  {s}" for s in self.skipped]
        lines.append(f"Took {self.seconds:.2f} s.")
        return "\n".join(lines)


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
                return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, datetime.UTC)
    return parsed


class HugoImporter:
    def __init__(self, root, *, dry_run=False, skip_invalid=False):
        self.site = HugoSite(root)
        self.dry_run = dry_run
        self.skip_invalid = skip_invalid
        self.report = Report(dry_run=dry_run)
        self.errors = []
        self.saved_files = []
        self.image_fields = []
        self.authors = {}  # author folder name (as written and lower-case) -> Person
        self.projects = {}  # project folder name -> Project
        self.group_order = []
        self.matcher = None

    # ---- running ---------------------------------------------------------------------

    def run(self):
        started = time.perf_counter()
        try:
            with transaction.atomic():
                self._import_all()
                if self.errors:
                    raise ImportFailed(self.errors)
                if self.dry_run:
                    transaction.set_rollback(True)
                else:
                    # Bulk writes send no signals: drop the cached site context explicitly.
                    transaction.on_commit(clear_site_cache)
        except BaseException:
            self._delete_saved_files()
            raise
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _delete_saved_files(self):
        """After a rollback, remove the image files this run wrote."""
        names = list(self.saved_files)
        names += [getattr(obj, f).name for obj, f in self.image_fields if getattr(obj, f)]
        for name in names:
            default_storage.delete(name)

    def _import_all(self):
        self._guard("config/_default/params", self._import_settings)
        self._guard("config/_default/menus", self._import_menus)
        self._scan_people_widgets()
        for folder in self._children("authors"):
            self._guard(folder, self._import_author, folder)
        people = list(Person.objects.all())
        self.matcher = PersonMatcher(people)
        for source in self._entries("project"):
            self._guard(source, self._import_project, source)
        for source in self._entries("publication"):
            self._guard(source, self._import_publication, source)
        for section in ("post", "blog"):  # Hugo Blox names the posts section "blog"
            for source in self._entries(section):
                self._guard(source, self._import_post, source, section)
        for section in ("event", "talk"):
            for source in self._entries(section):
                self._guard(source, self._import_event, source, section)
        self._import_pages()
        self._guard("redirects", self._section_redirects)

    def _guard(self, source, function, *args):
        """Run one file's import in a savepoint; collect its error instead of raising."""
        label = source if isinstance(source, str) else self.site.relative(source)
        try:
            with transaction.atomic():
                return function(*args)
        except SiteError as exc:
            error = exc
        except ValidationError as exc:
            error = SiteError(label, "; ".join(exc.messages))
        except (ValueError, OverflowError, DatabaseError) as exc:
            # A value no mapping anticipated; the savepoint is rolled back.
            error = SiteError(label, f"could not be imported ({exc})")
        if self.skip_invalid:
            self.report.skipped.append(str(error))
        else:
            self.errors.append(error)
        return None

    # ---- files -------------------------------------------------------------------------

    def _children(self, section):
        folder = self.site.content / section
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if p.is_dir() and self.site.inside(p))

    def _entries(self, section):
        """Content files of a section: bundles (folder/index.md or only cite.bib) and x.md."""
        folder = self.site.content / section
        if not folder.is_dir():
            return []
        found = []
        for path in sorted(folder.iterdir()):
            if self.site.inside(path) is None:
                self.report.warn(
                    self.site.relative(folder),
                    f"{path.name} points outside the site and was ignored",
                )
                continue
            if path.is_dir():
                if (path / "index.md").is_file() or (path / "cite.bib").is_file():
                    found.append(path)
            elif path.suffix == ".md" and path.name != "_index.md":
                found.append(path)
        return found

    def _open_entry(self, source_path):
        """A post, project or event: (folder, Hugo slug, source, front matter, body,
        featured image, checksum), or None when the bundle has no Markdown file."""
        folder, index, hugo_slug = self._bundle(source_path)
        if index is None:
            return None
        source = self.site.relative(index)
        meta, body = self._read(index)
        image = self._featured(meta, folder, source)
        people = self._people_key([_text(a) for a in _list(meta.get("authors"))])
        checksum = self._checksum(index, image, extra=people)
        return folder, hugo_slug, source, meta, body, image, checksum

    def _publishing(self, obj, meta):
        """Draft state and scheduled publish time from `draft` and `publishDate`."""
        obj.status = Status.DRAFT if _bool(meta.get("draft")) else Status.PUBLISHED
        publish = _parse_datetime(meta.get("publishDate"))
        if publish is not None:
            obj.publish_at = publish

    @staticmethod
    def _bundle(source):
        """(folder of the entry, its Markdown file or None, its slug as Hugo wrote it)."""
        if source.is_dir():
            index = source / "index.md"
            return source, (index if index.is_file() else None), source.name
        return source.parent, source, source.stem

    def _checksum(self, *paths, extra=""):
        digest = hashlib.sha256(IMPORTER_VERSION.encode() + extra.encode())
        for path in paths:
            if path is not None and path.is_file():
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
        return digest.hexdigest()

    def _read(self, path):
        return self.site.read(path)

    # ---- objects and bookkeeping -----------------------------------------------------

    def _upsert(self, source, model, checksum, fill, kind, key=None):
        """Create or update the object a source maps to; skip it when unchanged.

        `key` names the entry independently of its file layout ("post/hello" for
        both post/hello.md and post/hello/index.md); by default the source path."""
        key = key or source
        content_type = ContentType.objects.get_for_model(model)
        item = ImportedItem.objects.filter(source=key).first()
        obj = None
        if item is not None and item.content_type_id == content_type.id:
            obj = model.objects.filter(pk=item.object_id).first()
        if obj is not None and item.checksum == checksum:
            self.report.count(kind, "unchanged")
            return obj, False
        action = "updated" if obj is not None else "created"
        obj = fill(obj)
        ImportedItem.objects.update_or_create(
            source=key,
            defaults={"content_type": content_type, "object_id": obj.pk, "checksum": checksum},
        )
        self.report.count(kind, action)
        return obj, True

    def _unique_slug(self, model, wanted, obj):
        base = slugify(wanted)[:100] or "item"
        slug, n = base, 1
        while model.objects.filter(slug=slug).exclude(pk=getattr(obj, "pk", None)).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    def _upload(self, path):
        """Validate and re-encode an image exactly like an admin upload.

        Returns a processed upload with a random name (None in a dry run, after
        checking it); an unreadable image is an error naming the file.
        """
        try:
            upload = clean_upload(ContentFile(path.read_bytes(), name=path.name))
        except ValidationError as exc:
            message = f"unreadable image: {exc.messages[0]}"
            raise SiteError(self.site.relative(path), message) from exc
        return None if self.dry_run else upload

    def _set_image(self, obj, field_name, path):
        """Put an image into an image field; the field's save stores it (and renditions)."""
        upload = self._upload(path) if path is not None else None
        if upload is not None:
            setattr(obj, field_name, upload)
            self.image_fields.append((obj, field_name))

    def _store_image(self, path, upload_to):
        """Store an image referenced from Markdown; returns its URL."""
        upload = self._upload(path)
        if upload is None:
            return f"/media/{upload_to}{path.name}"
        name = default_storage.save(upload_to + upload.name, upload)
        self.saved_files.append(name)
        return default_storage.url(name)

    def _url(self, value, source, what, limit=500):
        """A usable absolute URL (at most `limit` long), or '' with a warning; never aborts."""
        url = self._absolute_url(value, source, what)
        if len(url) > limit:
            self.report.warn(source, f"{what} is longer than {limit} characters; left empty")
            return ""
        return url

    def _absolute_url(self, value, source, what):
        url = _text(value)
        if not url or url == "#":
            return ""
        if url.startswith("mailto:"):
            return url
        try:
            parts = urlsplit(url)
        except ValueError:
            parts = None
        if parts and parts.scheme in ("http", "https") and parts.netloc and is_safe_link(url):
            return url
        if parts and not parts.scheme and re.match(r"^[\w-]+(\.[\w-]+)+(/|$)", url):
            self.report.warn(source, f"{what} '{url}' has no scheme; https:// was added")
            return f"https://{url}"
        self.report.warn(source, f"{what} '{url}' is not a web address and was left empty")
        return ""

    def _redirect(self, old_path, obj_or_path):
        new_path = obj_or_path if isinstance(obj_or_path, str) else obj_or_path.get_absolute_url()
        old_path = "/" + old_path.strip("/") + "/"
        if old_path == new_path:
            return
        site = Site.objects.get_current()
        # Hugo lower-cases URLs and turns spaces into dashes; the redirect middleware
        # compares against the percent-encoded path.
        variants = {old_path, old_path.lower(), re.sub(r"\s+", "-", old_path.lower())}
        for path in {iri_to_uri(v) for v in variants}:
            if len(path) <= 200:
                Redirect.objects.update_or_create(
                    site=site, old_path=path, defaults={"new_path": new_path}
                )

    def _body(self, body, folder, source, upload_to="pages/"):
        """Markdown body with shortcodes converted and bundle images imported."""
        body = body.replace("<!--more-->", "")

        def image_url(src):
            path = self.site.resolve_asset(src, folder)
            return None if path is None else self._store_image(path, upload_to)

        converted, warnings = convert(body, image_url)
        for warning in warnings:
            self.report.warn(source, warning)
        return converted.strip()

    def _people_key(self, names):
        """Which person each name resolves to now, for checksums."""
        return repr([getattr(self._match_person(n), "pk", None) for n in names])

    def _match_person(self, name):
        name = _text(name)
        return self.authors.get(name) or self.authors.get(name.lower()) or self.matcher.match(name)

    def _tags(self, values):
        tags = []
        for value in _list(values):
            name = _text(value)[:80]
            if name:
                tags.append(
                    Tag.objects.get_or_create(
                        slug=slugify(name)[:100] or "tag", defaults={"name": name}
                    )[0]
                )
        return tags

    # ---- site settings and menu ------------------------------------------------------

    def _import_settings(self):
        config = self.site.config("config") or self.site.config("hugo")
        params = self.site.config("params")
        source = "config/_default/params"
        checksum = hashlib.sha256(repr((config, params)).encode()).hexdigest()

        def fill(settings):
            settings = settings or SiteSettings.load()
            title = _text(config.get("title"))
            if title:
                settings.name = title[:80]
                settings.full_name = title[:200]
            contact = params.get("contact") if isinstance(params.get("contact"), dict) else {}
            merged = {**contact, **params}
            settings.description = _text(merged.get("description"))[:300]
            settings.email = self._email(merged.get("email"), source)
            settings.phone = _text(merged.get("phone"))[:50]
            address = merged.get("address")
            if isinstance(address, dict):
                parts = [
                    address.get(k) for k in ("street", "city", "region", "postcode", "country")
                ]
                settings.address = "\n".join(_text(p) for p in parts if _text(p))
            elif address:
                settings.address = _text(address)
            settings.directions = _text(merged.get("directions"))
            coordinates = merged.get("coordinates")
            if isinstance(coordinates, dict) and coordinates.get("latitude"):
                lat, lon = (_number_text(coordinates["latitude"]),
                            _number_text(coordinates.get("longitude")))  # fmt: skip
                if lat and lon:
                    settings.map_url = (
                        f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
                    )
            copyright_text = _text(config.get("copyright") or params.get("copyright"))
            if copyright_text:
                settings.footer = copyright_text.replace("{year}", str(timezone.now().year))
            settings.save()
            return settings

        self._upsert(source, SiteSettings, checksum, fill, "site settings")

    def _email(self, value, source):
        email = _text(value)
        if not email:
            return ""
        if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            return email
        self.report.warn(source, f"email '{email}' is not an address; not imported as one")
        return ""

    def _menu_url(self, item):
        url = _text(item.get("url") or item.get("pageRef") or item.get("pageref"))
        if url.startswith(("http://", "https://", "mailto:")):
            return url
        if url.startswith("#"):
            return "/" + url
        path = url.strip("/")
        if "#" in path:
            head, _sep, anchor = path.partition("#")
            return ("/" + head + "/" if head else "/") + "#" + anchor
        if not path:
            return "/"
        first = path.split("/")[0]
        mapped = {
            "post": "news",
            "publication": "publications",
            "project": "projects",
            "event": "events",
            "talk": "events",
            "authors": "people",
            "author": "people",
            "team": "people",
        }.get(first)
        if mapped and path == first:
            return f"/{mapped}/"
        return f"/{path}/"

    def _import_menus(self):
        menus = self.site.config("menus")
        main = menus.get("main") if isinstance(menus, dict) else None
        if not main:
            return
        if not isinstance(main, list) or not all(isinstance(i, dict) for i in main):
            raise SiteError("config/_default/menus", "the main menu is not a list of items")
        source = "config/_default/menus"
        items = sorted(main, key=lambda i: (_number(i.get("weight")), _text(i.get("name"))))
        checksum = hashlib.sha256(repr(items).encode()).hexdigest()

        def fill(settings):
            menu = []
            for n, item in enumerate(items):
                url = self._menu_url(item)
                if not is_safe_link(url):
                    self.report.warn(source, f"menu link '{url}' is not a safe link; left out")
                    continue
                label = _text(item.get("name"))[:60] or "Link"
                menu.append(MenuItem(label=label, url=url[:300], order=n * 10))
            MenuItem.objects.all().delete()
            MenuItem.objects.bulk_create(menu)
            return SiteSettings.load()

        self._upsert("config/_default/menus", SiteSettings, checksum, fill, "menu")

    # ---- people ------------------------------------------------------------------------

    def _scan_people_widgets(self):
        """Group order as the site's people widgets/blocks list them."""
        for path in sorted(self.site.content.rglob("*.md")):
            if self.site.inside(path) is None:
                continue
            try:
                meta, _body = self._read(path)
            except SiteError:
                continue  # reported when the file itself is imported
            blocks = [meta] + [s for s in _list(meta.get("sections")) if isinstance(s, dict)]
            for block in blocks:
                if (block.get("widget") or block.get("block")) == "people":
                    content = block.get("content") if isinstance(block.get("content"), dict) else {}
                    for name in _list(content.get("user_groups")):
                        if _text(name) and _text(name) not in self.group_order:
                            self.group_order.append(_text(name))

    def _group(self, name):
        slug = slugify(name)[:50] or "group"
        order = self.group_order.index(name) * 10 if name in self.group_order else 1000
        group, created = Group.objects.get_or_create(
            slug=slug, defaults={"name": name[:100], "order": order}
        )
        if not created and name in self.group_order and group.order != order:
            group.order = order
            group.save(update_fields=["order"])
        return group

    def _import_author(self, folder):
        index = folder / "_index.md"
        if not index.is_file():
            index = folder / "index.md"
        if not index.is_file():
            return
        source = self.site.relative(index)
        avatar = self.site.bundle_image(folder, "avatar")
        meta, body = self._read(index)
        checksum = self._checksum(index, avatar)

        def fill(person):
            person = person or Person()
            title = _text(meta.get("title")) or folder.name
            first = _text(meta.get("first_name"))
            last = _text(meta.get("last_name"))
            if not last:
                words = title.split()
                first, last = (" ".join(words[:-1]), words[-1]) if len(words) > 1 else ("", title)
            person.first_name, person.last_name = first[:100], last[:100]
            person.display_name = title[:200] if title != f"{first} {last}".strip() else ""
            if not person.slug:  # keep the public URL stable when the name changes
                person.slug = self._unique_slug(Person, title, person)
            person.role = _text(meta.get("role"))[:150]
            person.short_bio = _text(meta.get("bio"))[:300]
            person.bio = self._body(body, folder, source, "people/")
            person.interests = "\n".join(_text(i) for i in _list(meta.get("interests")))
            person.email = self._email(meta.get("email"), source)
            order = meta.get("order", meta.get("weight"))
            person.order = _number(order)
            if order not in (None, "") and _number(order, None) is None:
                self.report.warn(source, f"order '{order}' is not a number; set to 0")
            groups = [_text(g) for g in _list(meta.get("user_groups")) if _text(g)]
            role = person.role.lower()
            person.membership = next(
                (kind for word, kind in MEMBERSHIP_WORDS if word in role), Membership.OTHER
            )
            alumni = any(g.lower() in ("alumni", "former members") for g in groups)
            person.member_status = MemberStatus.ALUMNI if alumni else MemberStatus.CURRENT
            if avatar is not None:
                self._set_image(person, "avatar", avatar)
                person.avatar_alt = person.avatar_alt or f"Photo of {title}"[:200]
            person.save()
            person.groups.set([self._group(g) for g in groups])
            self._replace_children(person)
            Organisation.objects.bulk_create(
                Organisation(
                    person=person,
                    name=_text(o.get("name"))[:200],
                    url=self._url(o.get("url"), source, "organisation link", limit=200),
                    order=n,
                )
                for n, o in enumerate(_list(meta.get("organizations")))
                if isinstance(o, dict) and _text(o.get("name"))
            )
            education = meta.get("education") if isinstance(meta.get("education"), dict) else {}
            Education.objects.bulk_create(
                Education(
                    person=person,
                    course=_text(c.get("course"))[:200],
                    institution=_text(c.get("institution"))[:200],
                    year=_text(c.get("year"))[:40],
                    order=n,
                )
                for n, c in enumerate(_list(education.get("courses")))
                if isinstance(c, dict) and _text(c.get("course"))
            )
            links = []
            for n, link in enumerate(_list(meta.get("social"))):
                if not isinstance(link, dict):
                    continue
                icon = _text(link.get("icon")).lower()
                url = _text(link.get("link"))
                kind = "email" if url.startswith("mailto:") else SOCIAL.get(icon, "other")
                if kind != "email":
                    url = self._url(url, source, f"{icon or 'social'} link")
                if url:
                    label = "" if kind != "other" else (icon.replace("-", " ").title() or "Link")
                    links.append(
                        SocialLink(
                            person=person, kind=kind, url=url[:500], label=label[:80], order=n
                        )
                    )
            SocialLink.objects.bulk_create(links)
            return person

        person, _changed = self._upsert(source, Person, checksum, fill, "people")
        self.authors[folder.name] = person
        self.authors[folder.name.lower()] = person
        self._redirect(f"/author/{folder.name}/", person)
        self._redirect(f"/authors/{folder.name}/", person)

    @staticmethod
    def _replace_children(person):
        person.organisations.all().delete()
        person.education.all().delete()
        person.social_links.all().delete()

    # ---- projects ----------------------------------------------------------------------

    def _import_project(self, source_path):
        entry = self._open_entry(source_path)
        if entry is None:
            return
        folder, hugo_slug, source, meta, body, image, checksum = entry

        def fill(project):
            project = project or Project()
            project.title = (_text(meta.get("title")) or hugo_slug)[:250]
            project.slug = self._unique_slug(Project, _text(meta.get("slug")) or hugo_slug, project)
            project.summary = _text(meta.get("summary"))
            project.body = self._body(body, folder, source, "projects/")
            date = _parse_datetime(meta.get("date"))
            project.date = date.date() if date else None
            project.external_url = self._url(
                meta.get("external_link"), source, "external link", limit=200
            )
            for field_name in ("url_pdf", "url_code", "url_dataset", "url_slides", "url_video"):
                setattr(project, field_name, self._url(meta.get(field_name), source, field_name))
            project.featured = _bool(meta.get("featured"))
            self._publishing(project, meta)
            project.image_caption = self._caption(meta)
            project.image_alt = project.image_caption[:200] or project.title[:200]
            self._set_image(project, "image", image)
            project.save()
            project.tags.set(self._tags(meta.get("tags")))
            project.people.set(
                [p for p in map(self._match_person, _list(meta.get("authors"))) if p]
            )
            project.links.all().delete()
            ProjectLink.objects.bulk_create(
                self._named_links(meta, source, ProjectLink, project=project)
            )
            return project

        project, _changed = self._upsert(
            source, Project, checksum, fill, "projects", key=f"project/{hugo_slug}"
        )
        self.projects[hugo_slug] = project
        self.projects[hugo_slug.lower()] = project
        self._redirect(f"/project/{hugo_slug}/", project)
        self._aliases(meta, project)

    def _named_links(self, meta, source, model, **owner):
        links = []
        for n, link in enumerate(_list(meta.get("links"))):
            if not isinstance(link, dict):
                continue
            url = self._url(link.get("url"), source, f"link '{_text(link.get('name'))}'")
            if url:
                name = _text(link.get("name")) or _text(link.get("icon")).title() or "Link"
                links.append(model(name=name[:80], url=url, order=n, **owner))
        return links

    def _featured(self, meta, folder, source):
        image = meta.get("image") if isinstance(meta.get("image"), dict) else {}
        filename = _text(image.get("filename"))
        if filename:
            path = self.site.resolve_asset(filename, folder)
            if path is None:
                self.report.warn(source, f"image '{filename}' not found; imported without it")
            return path
        return self.site.bundle_image(folder, "featured")

    @staticmethod
    def _caption(meta):
        image = meta.get("image") if isinstance(meta.get("image"), dict) else {}
        caption = _text(image.get("caption"))
        return re.sub(r"\[\*{0,2}([^\]]*?)\*{0,2}\]\([^)]*\)", r"\1", caption)[:300]

    def _aliases(self, meta, obj):
        for alias in _list(meta.get("aliases")):
            if _text(alias).startswith("/"):
                self._redirect(_text(alias), obj)

    # ---- publications ----------------------------------------------------------------

    def _pub_type(self, meta, source):
        values = _list(meta.get("publication_types") or meta.get("publication_type"))
        if not values:
            return "other"
        raw = _text(values[0])
        if raw in LEGACY_TYPES:
            return LEGACY_TYPES[raw]
        if raw in PublicationType.values:
            return raw
        mapped = TYPE_LABELS.get(raw.lower().strip())
        if mapped:
            self.report.warn(source, f"publication type '{raw}' read as '{mapped}'")
            return mapped
        self.report.warn(source, f"unknown publication type '{raw}'; set to 'other'")
        return "other"

    def _import_publication(self, source_path):
        folder, index, hugo_slug = self._bundle(source_path)
        bib_path = folder / "cite.bib" if source_path.is_dir() else None
        if bib_path is not None and not bib_path.is_file():
            bib_path = None
        source = self.site.relative(index or bib_path)
        meta, body = self._read(index) if index else ({}, "")
        record = None
        raw_bib = ""
        if bib_path is not None:
            bib_source = self.site.relative(bib_path)  # refuses a link leading outside
            raw_bib = read_text(bib_path, bib_source)
            records, errors = parse_bibtex(raw_bib)
            if errors and not (index and records):
                first = errors[0]
                if index is None or "malformed" in first.message:
                    raise SiteError(bib_source, f"BibTeX {first.message}", first.line)
            for error in errors:
                self.report.warn(bib_source, str(error))
            record = records[0] if records else None
        if index is None and record is None:
            raise SiteError(source, "cite.bib has no usable entry")
        image = self._featured(meta, folder, source) if index else None
        names = [_text(a) for a in _list(meta.get("authors")) if _text(a)]
        if not names and record is not None:
            names = record.authors
        # Who the authors resolve to is part of the checksum: an author folder added
        # later re-links this publication on the next run.
        checksum = self._checksum(index, bib_path, image, extra=self._people_key(names))

        def fill(publication):
            publication = publication or Publication()
            publication.title = (
                _text(meta.get("title")) or (record.title if record else "") or hugo_slug
            )[:400]
            publication.slug = self._unique_slug(Publication, hugo_slug, publication)
            date = _parse_datetime(meta.get("date"))
            if date is None and record is not None:
                date = _parse_datetime(record.date)
            if date is None:
                self.report.warn(source, "no date; set to 1 January 1970")
                date = _parse_datetime("1970-01-01")
            publication.date = date.date()
            publication.pub_type = (
                self._pub_type(meta, source)
                if meta.get("publication_types")
                else (record.pub_type if record else "other")
            )
            publication.venue = (
                _markdown_inline(meta.get("publication")) or (record.venue if record else "")
            )[:300]
            publication.venue_short = _markdown_inline(meta.get("publication_short"))[:60]
            publication.abstract = _text(meta.get("abstract")) or (
                record.abstract if record else ""
            )
            publication.summary = _text(meta.get("summary"))
            doi = _text(meta.get("doi")) or (record.doi if record else "")
            publication.doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", doi, flags=re.I)[
                :200
            ]
            for name in (
                "url_pdf",
                "url_code",
                "url_dataset",
                "url_project",
                "url_poster",
                "url_slides",
                "url_video",
            ):
                setattr(publication, name, self._url(meta.get(name), source, name))
            if not publication.url_pdf and record is not None and record.url.endswith(".pdf"):
                publication.url_pdf = self._url(record.url, source, "url")
            publication.featured = _bool(meta.get("featured"))
            self._publishing(publication, meta)
            publication.bibtex = raw_bib
            if record is not None:  # volume, pages, entry type, ...: the admin import's mapping
                set_bibliographic(publication, record)
            publication.image_alt = self._caption(meta)[:200] or publication.title[:200]
            self._set_image(publication, "image", image)
            super(Publication, publication).save()  # the citation is refreshed below
            notes = [_text(n) for n in _list(meta.get("author_notes"))]
            publication.authorships.all().delete()
            authorships = Authorship.objects.bulk_create(
                self._authorship(publication, name, n, notes[n] if n < len(notes) else "")
                for n, name in enumerate(names)
            )
            publication.tags.set(self._tags(meta.get("tags")))
            projects = []
            for project_ref in _list(meta.get("projects")):
                project = self.projects.get(_text(project_ref)) or self.projects.get(
                    _text(project_ref).lower()
                )
                if project is None:
                    self.report.warn(source, f"project '{project_ref}' not found")
                else:
                    projects.append(project)
            publication.projects.set(projects)
            publication.links.all().delete()
            links = self._named_links(meta, source, PublicationLink, publication=publication)
            source_url = self._url(meta.get("url_source"), source, "url_source")
            if source_url:
                links.append(
                    PublicationLink(
                        publication=publication, name="Source", url=source_url, order=len(links)
                    )
                )
            PublicationLink.objects.bulk_create(links)
            refresh_publication(publication, authorships)
            return publication

        publication, _changed = self._upsert(
            source, Publication, checksum, fill, "publications", key=f"publication/{hugo_slug}"
        )
        self._redirect(f"/publication/{hugo_slug}/", publication)
        self._aliases(meta, publication)

    def _authorship(self, publication, name, order, note):
        person = self._match_person(name)
        printed = person.name if person is not None and name in self.authors else name
        return Authorship(
            publication=publication, person=person, name=printed[:200], order=order, note=note[:100]
        )

    # ---- posts and events ------------------------------------------------------------

    def _import_post(self, source_path, section="post"):
        entry = self._open_entry(source_path)
        if entry is None:
            return
        folder, hugo_slug, source, meta, body, image, checksum = entry

        def fill(news):
            news = news or NewsItem()
            news.title = (_text(meta.get("title")) or hugo_slug)[:250]
            news.slug = self._unique_slug(NewsItem, _text(meta.get("slug")) or hugo_slug, news)
            date = _parse_datetime(meta.get("date"))
            if date is None:
                self.report.warn(source, "no date; set to today")
                date = timezone.now()
            news.date = date.date()
            summary = _text(meta.get("summary"))
            if not summary and "<!--more-->" in body:
                summary = re.sub(r"\s+", " ", body.split("<!--more-->")[0]).strip()
            news.summary = summary
            news.body = self._body(body, folder, source, "news/")
            news.featured = _bool(meta.get("featured"))
            self._publishing(news, meta)
            news.image_alt = self._caption(meta)[:200] or news.title[:200]
            self._set_image(news, "image", image)
            news.save()
            return news

        news, _changed = self._upsert(
            source, NewsItem, checksum, fill, "news", key=f"{section}/{hugo_slug}"
        )
        self._redirect(f"/{section}/{hugo_slug}/", news)
        if _text(meta.get("slug")):
            self._redirect(f"/{section}/{_text(meta.get('slug'))}/", news)
        self._aliases(meta, news)

    def _import_event(self, source_path, section):
        entry = self._open_entry(source_path)
        if entry is None:
            return
        folder, hugo_slug, source, meta, body, image, checksum = entry

        def fill(event):
            event = event or Event()
            event.title = (_text(meta.get("title")) or hugo_slug)[:250]
            event.slug = self._unique_slug(Event, _text(meta.get("slug")) or hugo_slug, event)
            event.event_name = _text(meta.get("event"))[:250]
            event.event_url = self._url(meta.get("event_url"), source, "event_url")
            event.location = _text(meta.get("location"))[:250]
            address = meta.get("address")
            if isinstance(address, dict):
                parts = [
                    address.get(k) for k in ("street", "city", "region", "postcode", "country")
                ]
                event.address = "\n".join(_text(p) for p in parts if _text(p))
            else:
                event.address = _text(address)
            start = _parse_datetime(meta.get("date"))
            if start is None:
                self.report.warn(source, "no date; set to today")
                start = timezone.now()
            event.date = start
            event.date_end = _parse_datetime(meta.get("date_end"))
            event.all_day = _bool(meta.get("all_day"))
            event.summary = _text(meta.get("summary"))
            event.abstract = _text(meta.get("abstract"))
            event.body = self._body(body, folder, source, "events/")
            for name in ("url_pdf", "url_slides", "url_video", "url_code"):
                setattr(event, name, self._url(meta.get(name), source, name))
            event.featured = _bool(meta.get("featured"))
            self._publishing(event, meta)
            event.image_alt = self._caption(meta)[:200] or event.title[:200]
            self._set_image(event, "image", image)
            event.save()
            event.people.set([p for p in map(self._match_person, _list(meta.get("authors"))) if p])
            return event

        event, _changed = self._upsert(
            source, Event, checksum, fill, "events", key=f"{section}/{hugo_slug}"
        )
        self._redirect(f"/{section}/{hugo_slug}/", event)
        self._aliases(meta, event)

    # ---- pages -------------------------------------------------------------------------

    def _import_pages(self):
        content = self.site.content
        home_widgets = content / "home"
        if home_widgets.is_dir():
            self._guard(home_widgets, self._import_widget_page, home_widgets, "home")
        root_index = content / "_index.md"
        if root_index.is_file():
            self._guard(root_index, self._import_single_page, root_index, "home")
        for path in sorted(content.iterdir()):
            if self.site.inside(path) is None or path.name in ("home", "authors", "admin"):
                if path.name == "admin":
                    self.report.warn("content/admin", "Netlify CMS configuration not imported")
                continue
            if path.is_dir() and path.name in SECTIONS:
                list_page = path / "_index.md"
                if list_page.is_file():
                    self._guard(list_page, self._import_section_page, list_page, path.name)
            elif path.is_dir():
                index = next(
                    (p for p in (path / "index.md", path / "_index.md") if p.is_file()), None
                )
                if index is None:
                    continue
                meta, _body = self._read_or_none(index)
                if meta is not None and meta.get("type") == "widget_page":
                    self._guard(path, self._import_widget_page, path, _page_slug(path.name))
                else:
                    self._guard(index, self._import_single_page, index, _page_slug(path.name))
            elif path.suffix == ".md" and path.name != "_index.md":
                self._guard(path, self._import_single_page, path, _page_slug(path.stem))

    def _read_or_none(self, path):
        try:
            return self._read(path)
        except SiteError:
            return None, None  # the page import reports it

    def _page(self, slug, source, checksum, fill_page):
        def fill(page):
            page = page or Page.objects.filter(slug=slug).first() or Page(slug=slug)
            fill_page(page)
            return page

        page, changed = self._upsert(source, Page, checksum, fill, "pages")
        return page

    def _import_single_page(self, index, slug):
        """A plain page, or a Hugo Blox landing page (`type: landing` + `sections`)."""
        source = self.site.relative(index)
        meta, body = self._read(index)
        folder = index.parent

        def fill_page(page):
            page.title = (_text(meta.get("title")) or slug.replace("-", " ").title())[:200]
            page.subtitle = _text(meta.get("subtitle"))[:300]
            page.body = self._body(body, folder, source)
            page.description = _text(meta.get("summary"))[:300]
            view = self._view(meta.get("view"), source) if meta.get("view") is not None else None
            if view:
                page.view = view
            page.status = Status.DRAFT if _bool(meta.get("draft")) else Status.PUBLISHED
            page.save()
            page.sections.all().delete()
            for order, block in enumerate(_list(meta.get("sections"))):
                if isinstance(block, dict):
                    self._section(page, order * 10, block, folder, source, blox=True)

        checksum = self._checksum(index, extra=slug)
        page = self._page(slug, source, checksum, fill_page)
        self._aliases(meta, page)

    def _import_widget_page(self, folder, slug):
        """A Wowchemy widget page: every *.md beside index.md is a section, by weight."""
        files = [
            p
            for p in sorted(folder.glob("*.md"))
            if p.name not in ("index.md", "_index.md") and self.site.inside(p)
        ]
        index = next((p for p in (folder / "index.md", folder / "_index.md") if p.is_file()), None)
        meta_index = self._read(index)[0] if index else {}
        widgets = []
        for path in files:
            meta, body = self._read(path)
            widgets.append((meta, body, path))
        widgets.sort(key=lambda w: (_number(w[0].get("weight")), w[2].name))
        source = self.site.relative(folder)
        checksum = self._checksum(index, *files, extra=slug)

        def fill_page(page):
            default = "Home" if slug == "home" else slug.replace("-", " ").title()
            page.title = (_text(meta_index.get("title")) or default)[:200]
            page.status = Status.PUBLISHED
            page.save()
            page.sections.all().delete()
            for order, (meta, body, path) in enumerate(widgets):
                block = {**meta, "block": meta.get("widget"), "_body": body}
                self._section(page, order * 10, block, folder, self.site.relative(path))

        self._page(slug, source, checksum, fill_page)

    def _import_section_page(self, list_page, section):
        """`content/post/_index.md` etc.: title, intro and view of a collection page."""
        source = self.site.relative(list_page)
        meta, body = self._read(list_page)
        slug = SECTIONS[section]

        def fill_page(page):
            page.title = (_text(meta.get("title")) or slug.title())[:200]
            page.body = self._body(body, list_page.parent, source)
            page.collection = PAGE_TYPES.get(section, Collection.NEWS)
            default = {
                "publications": ListingView.CITATION,
                "news": ListingView.NEWS,
                "projects": ListingView.CARD,
            }.get(slug, ListingView.LIST)
            page.view = self._view(meta.get("view"), source) if meta.get("view") else default
            page.save()

        checksum = self._checksum(list_page, extra=slug)
        self._page(slug, source, checksum, fill_page)

    def _view(self, value, source):
        view = VIEWS.get(_text(value).lower())
        if view is None:
            self.report.warn(source, f"listing view '{value}' is unknown; using 'compact'")
            return ListingView.COMPACT
        return view

    def _section(self, page, order, block, folder, source, blox=False):
        kind_name = _text(block.get("block") or block.get("widget")).lower()
        content = block.get("content") if isinstance(block.get("content"), dict) else {}
        design = block.get("design") if isinstance(block.get("design"), dict) else {}
        kind = WIDGET_KINDS.get(kind_name)
        title = _text(content.get("title") or block.get("title"))[:200]
        text = _text(content.get("text")) if blox else block.get("_body", "")
        text = text or _text(content.get("text"))
        section = Section(
            page=page, order=order, title=title, is_visible=block.get("active", True) is not False
        )
        subtitle = _text(content.get("subtitle") or block.get("subtitle"))
        body_parts = [f"*{subtitle}*"] if subtitle and kind != "hero" else []
        # Wowchemy widgets put `cta` at the top; Hugo Blox blocks use content.cta/button.
        cta = next(
            (
                c
                for c in (content.get("cta"), content.get("button"), block.get("cta"))
                if isinstance(c, dict)
            ),
            {},
        )
        photo = None
        if kind == "hero":
            section.kind = Section.Kind.HERO
            body_parts = ([f"*{subtitle}*"] if subtitle else []) + body_parts
            image = content.get("image") or block.get("image")
            media = block.get("hero_media") or (
                image.get("filename") if isinstance(image, dict) else image
            )
            if media:
                photo = self.site.resolve_asset(_text(media), folder)
                if photo is None:
                    self.report.warn(source, f"hero image '{media}' not found")
        elif kind == "collection":
            section.kind = Section.Kind.COLLECTION
            page_type = _text(content.get("page_type")) or WIDGET_PAGE_TYPE.get(kind_name, "post")
            section.collection = PAGE_TYPES.get(page_type.lower(), "")
            if not section.collection:
                self.report.warn(source, f"collection of '{page_type}' is unknown; listing news")
                section.collection = Collection.NEWS
            try:
                section.count = int(content.get("count") or 0)
            except (TypeError, ValueError):
                section.count = 0
            filters = content.get("filters") if isinstance(content.get("filters"), dict) else {}
            section.featured_only = bool(filters.get("featured_only")) or kind_name == "featured"
            if filters.get("exclude_featured"):
                self.report.warn(source, "'exclude_featured' is not supported; ignored")
            raw_type = _text(filters.get("publication_type"))
            if raw_type:
                section.publication_type = self._pub_type({"publication_types": [raw_type]}, source)
            view = design.get("view")
            section.view = (
                self._view(view, source)
                if view is not None
                else (
                    ListingView.CITATION
                    if section.collection == Collection.PUBLICATIONS
                    else ListingView.COMPACT
                )
            )
        elif kind == "people":
            section.kind = Section.Kind.PEOPLE
            groups = [_text(g) for g in _list(content.get("user_groups")) if _text(g)]
            if len(groups) == 1:
                section.group = self._group(groups[0])
        elif kind == "contact":
            section.kind = Section.Kind.CONTACT
        elif kind == "cta":
            section.kind = Section.Kind.CTA
        elif kind == "about":
            section.kind = Section.Kind.MARKDOWN
            person = self._match_person(
                _text(block.get("author") or content.get("username") or "admin")
            )
            if person is not None:
                section.title = section.title or person.name
                body_parts.append(person.bio)
                body_parts.append(f"[More about {person.name}]({person.get_absolute_url()})")
        else:
            section.kind = Section.Kind.MARKDOWN
            if kind_name not in ("blank", "markdown", "text"):
                self.report.warn(source, f"block '{kind_name}' imported as a text section")
        if cta:
            url = _text(cta.get("url"))
            if url and not is_safe_link(url):
                self.report.warn(source, f"button link '{url}' is not a safe link; left out")
                url = ""
            section.button_url = url[:300]
            section.button_label = _text(cta.get("label") or cta.get("text"))[:60]
        body_parts.append(self._body(_text(text), folder, source, "pages/"))
        section.body = "\n\n".join(p for p in body_parts if p)
        section.save()
        if photo is not None:
            section_photo = SectionPhoto(section=section, alt=title or "Hero image", order=0)
            self._set_image(section_photo, "image", photo)
            if section_photo.image:
                section_photo.save()

    # ---- old URLs ----------------------------------------------------------------------

    def _section_redirects(self):
        content = self.site.content
        for section, slug in SECTIONS.items():
            if (content / section).is_dir():
                self._redirect(f"/{section}/", f"/{slug}/")
        if (content / "authors").is_dir():
            self._redirect("/author/", "/people/")
            self._redirect("/authors/", "/people/")
        self._redirect("/team/", "/people/")
