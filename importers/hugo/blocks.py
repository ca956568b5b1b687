"""Landing blocks and widgets -> page sections."""

from airml.models import ListingView
from airml.validators import is_safe_link
from importers.hugo.values import (
    PAGE_TYPES,
    WIDGET_KINDS,
    WIDGET_PAGE_TYPE,
    _list,
    _parse_datetime,
    _text,
)
from pages.models import (
    Collection,
    Section,
    SectionPhoto,
    SiteSettings,
)

CONTACT_KEYS = ("email", "phone", "address", "coordinates", "directions")


# Hugo Blox collection filters that pages.Section cannot express (it has featured_only,
# publication_type, tag and author): each one given is a warning in the report.
UNMAPPED_FILTERS = ("category", "exclude_featured", "exclude_past", "exclude_future")


class BlockMapper:
    def _collection_filters(self, section, filters, source):
        """A collection's `tag` and `author` filters: the tag (by name or slug) and the
        person (author folder or name) it names; one of neither is a warning."""
        tag_name = _text(_list(filters.get("tag"))[0]) if _list(filters.get("tag")) else ""
        if tag_name and section.collection in (Collection.PUBLICATIONS, Collection.PROJECTS):
            section.tag = self._tags([tag_name])[0]
        elif tag_name:
            self.report.warn(
                source, f"collection filter 'tag' has no effect on {section.collection}; ignored"
            )
        author = _text(filters.get("author"))
        if author:
            section.person = self._match_person(author)
            if section.person is None:
                self.report.warn(
                    source, f"collection filter author '{author}' is nobody imported; ignored"
                )
            elif section.collection not in (
                Collection.PUBLICATIONS,
                Collection.PROJECTS,
                Collection.NEWS,
            ):
                section.person = None
                self.report.warn(
                    source,
                    f"collection filter 'author' has no effect on {section.collection}; ignored",
                )

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
        photos = []  # (path, caption, date, order)
        if kind == "hero":
            section.kind = Section.Kind.HERO
            body_parts = ([f"*{subtitle}*"] if subtitle else []) + body_parts
            image = content.get("image") or block.get("image")
            media = block.get("hero_media") or (
                image.get("filename") if isinstance(image, dict) else image
            )
            for n, item in enumerate(_list(content.get("images") or block.get("images"))):
                # Hugo Blox heroes with a slideshow: `images: [{image, caption, date}]`.
                item = item if isinstance(item, dict) else {"image": item}
                name = _text(item.get("image") or item.get("filename") or item.get("src"))
                path = self.site.resolve_asset(name, folder) if name else None
                if path is None:
                    self.report.warn(source, f"hero image '{name}' not found")
                    continue
                date = _parse_datetime(item.get("date"))
                photos.append((path, _text(item.get("caption"))[:300], date, n + 1))
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
            for name in UNMAPPED_FILTERS:  # pages.Section has no field for these
                if filters.get(name) not in (None, "", [], False):
                    self.report.warn(
                        source, f"collection filter '{name}' is not supported; ignored"
                    )
            self._collection_filters(section, filters, source)
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
            details = {k: content.get(k, block.get(k)) for k in CONTACT_KEYS}
            if any(details.values()):  # the block's own details are the lab's
                settings = SiteSettings.load()
                self._apply_contact(settings, details, source, only_given=True)
                settings.save()
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
            photos.insert(0, (photo, "", None, 0))
        for path, caption, date, order in photos:
            section_photo = SectionPhoto(
                section=section,
                alt=(caption or title or "Hero image")[:200],
                caption=caption,
                date=date.date() if date else None,
                order=order,
            )
            self._set_image(section_photo, "image", path)
            if section_photo.image:
                section_photo.save()
