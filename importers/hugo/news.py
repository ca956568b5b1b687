"""News items: the `post` / `blog` sections."""

import re

from django.utils import timezone

from importers.hugo.rules import page_url
from importers.hugo.values import (
    _bool,
    _parse_datetime,
    _text,
)
from news.models import NewsItem


class NewsMapper:
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
        self._redirect(page_url(self.rules, source_path, meta), news)
        self._redirect(f"/{section}/{hugo_slug}/", news)
        if _text(meta.get("slug")):
            self._redirect(f"/{section}/{_text(meta.get('slug'))}/", news)
        self._aliases(meta, news)
