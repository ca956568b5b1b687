"""Events: the `event` / `talk` sections."""

from django.utils import timezone

from importers.hugo.rules import page_url
from importers.hugo.values import (
    _bool,
    _list,
    _parse_datetime,
    _text,
)
from news.models import Event


class EventMapper:
    def _import_event(self, source_path, section):
        entry = self._open_entry(source_path)
        if entry is None:
            return
        folder, hugo_slug, source, meta, body, image, checksum = entry
        bundle = source_path.is_dir()
        if bundle:  # its slides and PDFs are part of it
            checksum = self._checksum(self.site.root / source, image,
                                      extra=checksum + self._documents_key(folder))  # fmt: skip
        old_urls = [page_url(self.rules, source_path, meta), f"/{section}/{hugo_slug}/"]

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
            files = self._store_bundle_files(folder, old_urls, source) if bundle else {}
            for name in ("url_pdf", "url_slides", "url_video", "url_code"):
                value = meta.get(name)
                local = self._local_document(value, folder, old_urls[0], files, source)
                setattr(event, name, local or self._url(value, source, name))
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
        self._redirect(page_url(self.rules, source_path, meta), event)
        self._redirect(f"/{section}/{hugo_slug}/", event)
        self._aliases(meta, event)
