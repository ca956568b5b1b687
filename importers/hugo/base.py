"""Bookkeeping shared by every mapper: files, checksums, upserts, images, links, redirects."""

import hashlib
import re
import uuid
from io import BytesIO
from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.encoding import iri_to_uri
from django.utils.text import slugify
from PIL import Image

from airml.images import ProcessedUpload, clean_upload
from airml.models import Status
from airml.validators import is_safe_link
from importers.hugo.shortcodes import convert
from importers.hugo.values import (
    IMPORTER_VERSION,
    _bool,
    _list,
    _parse_datetime,
    _text,
)
from importers.models import ImportedItem
from research.models import (
    Tag,
)

CONVERTIBLE = {"GIF", "BMP", "TIFF", "ICO"}

_MISSING = object()

RULE = re.compile(r"[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*")


def _rules_as_html(body):
    """A thematic break after a blank line as `<hr>`: Hugo's Markdown renders it even
    between the lines of an HTML block, where ours would print the dashes raw."""
    lines, fenced, previous_blank = body.split("\n"), False, True
    for n, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and previous_blank and RULE.fullmatch(line):
            lines[n] = "<hr>"
        previous_blank = not line.strip()
    return "\n".join(lines)


class Bookkeeping:
    # ---- files -------------------------------------------------------------------------

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

    def _bundle(self, source):
        """(folder of the entry, its Markdown file or None, its slug as Hugo wrote it)."""
        if source.is_dir():
            return source, self.rules.page_file(source, "index"), source.name
        return source.parent, source, self.rules.stem(source)

    def _checksum(self, *paths, extra=""):
        digest = hashlib.sha256(IMPORTER_VERSION.encode() + extra.encode())
        for path in paths:
            if path is not None and path.is_file():
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
        return digest.hexdigest()

    def _read(self, path):
        """(front matter, body) of a content file, parsed once per run."""
        key = str(path)
        if key not in self.parsed:
            self.parsed[key] = self.site.read(path)
        meta, body = self.parsed[key]
        return dict(meta), body

    # ---- objects and bookkeeping -----------------------------------------------------

    def _upsert(self, source, model, checksum, fill, kind, key=None, slug=None, existing=None):
        """Create or update the object a source maps to; skip it when unchanged.

        `key` names the entry independently of its file layout ("post/hello" for
        both post/hello.md and post/hello/index.md); by default the source path.
        `slug`: an object of that slug that no import made (the seed's, an editor's)
        is the same content, overwritten and reported as updated, not duplicated.
        `existing`: a function giving the object this entry is by content (the same
        DOI, say), asked only when no import made one for this key.
        What is known of earlier imports is read once per kind, not per object
        (`_imported_objects`); the bookkeeping rows are written at the end (`_flush`)."""
        key = key or source
        content_type = ContentType.objects.get_for_model(model)
        item = self._imported().get(key)
        known = self._imported_objects(model, content_type)
        obj = None
        if item is not None and item[0] == content_type.id:
            obj = known["by_pk"].get(item[1])
        same_content = False
        if obj is None and item is None and existing is not None:
            obj = existing()
            same_content = obj is not None
        if obj is None and slug:
            pk = known["unimported_slugs"].get(slugify(slug)[:100])
            obj = model.objects.filter(pk=pk).first() if pk is not None else None
        if obj is not None and item is not None and item[2] == checksum:
            self.report.count(kind, "unchanged")
            self._record(source, "unchanged", kind, obj)
            return obj, False
        action = "updated" if obj is not None else "created"
        reason = ""
        if same_content:  # another file of this site, or an import before, is this entry
            action, reason = (
                "merged",
                "the same work as one already here (DOI, arXiv id, or title and year)",
            )
        obj = fill(obj)
        known["by_pk"][obj.pk] = obj
        known["unimported_slugs"].pop(getattr(obj, "slug", None), None)
        self._remember(self._imported(), key, (content_type.id, obj.pk, checksum))
        self.report.count(kind, action)
        self._record(source, action, kind, obj, reason)
        return obj, True

    # ---- what is stored already, read once; written once at the end ---------------

    def _remember(self, table, key, value):
        """Set `table[key]`, undone by `_undo` when the file's savepoint rolls back."""
        self.journal.append((table, key, table.get(key, _MISSING)))
        table[key] = value

    def _undo(self, mark):
        while len(self.journal) > mark:
            table, key, previous = self.journal.pop()
            if previous is _MISSING:
                table.pop(key, None)
            else:
                table[key] = previous

    def _imported(self):
        """source key -> (content type id, object id, checksum) of every import so far."""
        if self.imported is None:
            rows = ImportedItem.objects.values_list(
                "source", "content_type_id", "object_id", "checksum"
            )
            self.imported = {source: tuple(rest) for source, *rest in rows}
            self.imported_at_start = dict(self.imported)
        return self.imported

    def _imported_objects(self, model, content_type):
        """The objects earlier imports made of a model (by pk), and the slugs of those
        no import made, each read in one query when the model is first met."""
        if model not in self.known_objects:
            ids = [v[1] for v in self._imported().values() if v[0] == content_type.id]
            by_pk = {}
            for chunk in range(0, len(ids), 500):  # SQLite's limit on parameters
                by_pk.update(model.objects.in_bulk(ids[chunk : chunk + 500]))
            slugs = {}
            if hasattr(model, "slug"):
                for pk, slug in model.objects.values_list("pk", "slug"):
                    if pk not in by_pk:
                        slugs[slug] = pk
            self.known_objects[model] = {"by_pk": by_pk, "unimported_slugs": slugs}
        return self.known_objects[model]

    def _flush(self):
        """Write the bookkeeping rows (imported items, redirects) that changed."""
        if self.imported is not None:
            new, changed = [], {}
            for key, (type_id, object_id, checksum) in self.imported.items():
                before = self.imported_at_start.get(key)
                if before is None:
                    new.append(ImportedItem(source=key, content_type_id=type_id,
                                            object_id=object_id, checksum=checksum))  # fmt: skip
                elif before != (type_id, object_id, checksum):
                    changed[key] = (type_id, object_id, checksum)
            ImportedItem.objects.bulk_create(new, batch_size=200)
            for key, (type_id, object_id, checksum) in changed.items():
                ImportedItem.objects.filter(source=key).update(
                    content_type_id=type_id, object_id=object_id, checksum=checksum
                )
            self.imported_at_start = dict(self.imported)
        if self.redirects is not None:
            new = []
            for path, target in self.redirects.items():
                before = self.redirects_at_start.get(path)
                if before is None:
                    new.append(Redirect(site_id=self.site_id, old_path=path, new_path=target))
                elif before != target:
                    Redirect.objects.filter(site_id=self.site_id, old_path=path).update(
                        new_path=target
                    )
            Redirect.objects.bulk_create(new, batch_size=200)
            self.redirects_at_start = dict(self.redirects)

    def _record(self, source, outcome, kind, obj=None, reason=""):
        """Record what became of a file (a folder source: each content file in it)."""
        if not (self.site.root / source).is_file():
            return  # a folder: its files are recorded one by one
        url = ""
        if obj is not None and hasattr(obj, "get_absolute_url"):
            url = obj.get_absolute_url()
        self.report.record(source, outcome, kind, url, reason, replace=True)

    @staticmethod
    def _set_related(obj, name, values, new):
        """`obj.<name>.set(values)`; for an object made just now an add, which skips
        reading the (empty) current set."""
        manager = getattr(obj, name)
        if not new:
            manager.set(values)
        elif values:
            manager.add(*values)

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
        checking it). An image is a secondary file and never aborts the import: one
        whose content differs from its extension (a GIF named .png) is converted; one
        that cannot be read at all is a warning and the object imports without it.
        """
        data = path.read_bytes()
        digest = hashlib.sha256(data).digest()
        if digest not in self.processed_images:  # the same picture is processed once
            try:
                upload = clean_upload(ContentFile(data, name=path.name))
            except ValidationError as exc:
                upload = self._converted(data, path.name)
                if upload is None:
                    relative = self.site.relative(path)
                    self.report.warn(relative, f"unreadable image ({exc.messages[0]}); left out")
            self.processed_images[digest] = upload and (
                upload.read(),
                upload.name.split("-", 1)[1],
                upload.content_type,
            )
        processed = self.processed_images[digest]
        if self.dry_run or processed is None:
            return None
        data, size_and_extension, content_type = processed  # each object owns its file
        return ProcessedUpload(f"{uuid.uuid4().hex}-{size_and_extension}", data, content_type)

    @staticmethod
    def _converted(data, name):
        """A GIF, BMP or TIFF (whatever its name says) as a PNG upload, or None."""
        try:
            with Image.open(BytesIO(data)) as image:
                if image.format not in CONVERTIBLE:
                    return None
                image.seek(0)
                out = BytesIO()
                image.convert("RGBA").save(out, format="PNG")
            return clean_upload(ContentFile(out.getvalue(), name=name))
        except (OSError, ValueError, Image.DecompressionBombError, ValidationError):
            return None

    def _set_image(self, obj, field_name, path):
        """Put an image into an image field; the field's save stores it
        (its renditions are made on first use: airml.renditions.deferred)."""
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
        if not old_path.strip("/"):
            return
        old_path = "/" + old_path.strip("/")
        if "." not in old_path.rsplit("/", 1)[-1]:
            old_path += "/"
        if old_path == new_path:
            return
        if self.redirects is None:  # what is stored already, read once per run
            self.site_id = Site.objects.get_current().pk
            self.redirects = dict(
                Redirect.objects.filter(site_id=self.site_id).values_list("old_path", "new_path")
            )
            self.redirects_at_start = dict(self.redirects)
        # Hugo lower-cases URLs and turns spaces into dashes; the redirect middleware
        # compares against the percent-encoded path. Written at the end (`_flush`).
        variants = {old_path, old_path.lower(), re.sub(r"\s+", "-", old_path.lower())}
        for path in {iri_to_uri(v) for v in variants}:
            if len(path) <= 200 and self.redirects.get(path) != new_path:
                self._remember(self.redirects, path, new_path)

    def _body(self, body, folder, source, upload_to="pages/"):
        """Markdown body with shortcodes converted and bundle images imported."""
        body = body.replace("<!--more-->", "")

        def image_url(src):
            path = self.site.resolve_asset(src, folder)
            return None if path is None else self._store_image(path, upload_to)

        converted, warnings = convert(body, image_url)
        for warning in warnings:
            self.report.warn(source, warning)
        return _rules_as_html(converted).strip()

    def _people_key(self, names):
        """Which person each name resolves to now, for checksums."""
        return repr([getattr(self._match_person(n), "pk", None) for n in names])

    def _match_person(self, name):
        name = _text(name)
        return self.authors.get(name) or self.authors.get(name.lower()) or self.matcher.match(name)

    def _tags(self, values):
        if self.known_tags is None:  # read once per run
            self.known_tags = Tag.objects.in_bulk(field_name="slug")
        tags = []
        for value in _list(values):
            name = _text(value)[:80]
            if name:
                slug = slugify(name)[:100] or "tag"
                if slug not in self.known_tags:
                    self._remember(self.known_tags, slug, Tag.objects.create(slug=slug, name=name))
                tags.append(self.known_tags[slug])
        return tags

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
