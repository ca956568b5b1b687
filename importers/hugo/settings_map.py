"""Site settings and the main menu from the Hugo config."""

import hashlib
import re

from django.utils import timezone

from airml.validators import is_safe_link
from importers.hugo.reader import SiteError
from importers.hugo.values import (
    _number,
    _number_text,
    _text,
)
from pages.models import (
    MenuItem,
    SiteLink,
    SiteSettings,
)

LAB_PROFILES = {
    "twitter": "https://twitter.com/",
    "github": "https://github.com/",
    "bluesky": "https://bsky.app/profile/",
}


class SettingsMapper:
    # ---- site settings and menu ------------------------------------------------------

    def _import_settings(self):
        config = self.site.config("config") or self.site.config("hugo")
        params = self.site.config("params")
        source = "config/_default/params"
        logo = self._branding_file(params.get("logo"), "logo")
        favicon = self._branding_file(params.get("favicon"), "icon")
        checksum = self._checksum(logo, favicon, extra=repr((config, params)))

        def fill(settings):
            settings = settings or SiteSettings.load()
            title = _text(config.get("title"))
            if title:
                settings.name = title[:80]
                settings.full_name = title[:200]
            contact = params.get("contact") if isinstance(params.get("contact"), dict) else {}
            merged = {**contact, **params}
            settings.description = _text(merged.get("description"))[:300]
            self._apply_contact(settings, merged, source)
            copyright_text = _text(config.get("copyright") or params.get("copyright"))
            if copyright_text:
                settings.footer = copyright_text.replace("{year}", str(timezone.now().year))
            if logo is not None:
                self._set_image(settings, "logo", logo)
            if favicon is not None:
                self._set_image(settings, "favicon", favicon)
            settings.save()
            self._site_links(params)
            return settings

        self._upsert(source, SiteSettings, checksum, fill, "site settings")

    def _apply_contact(self, settings, merged, source, only_given=False):
        """Contact details (params, or a contact block) into the site settings;
        `only_given`: leave what the data does not mention as it is."""
        if only_given:
            merged = {k: v for k, v in merged.items() if v not in (None, "")}
            keep = {f: getattr(settings, f) for f in ("email", "phone", "address", "directions")}
        settings.email = self._email(merged.get("email"), source)
        settings.phone = _text(merged.get("phone"))[:50]
        address = merged.get("address")
        if isinstance(address, dict):
            parts = [address.get(k) for k in ("street", "city", "region", "postcode", "country")]
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
        if only_given:
            for name, value in keep.items():
                if not getattr(settings, name):
                    setattr(settings, name, value)

    def _branding_file(self, value, stem):
        """The logo or favicon: named in params (a file in assets/media, static/), else
        Hugo Blox's convention `assets/media/logo.*` / `icon.*`."""
        name = _text(value.get("filename") if isinstance(value, dict) else value)
        if name:
            path = self.site.resolve_asset(name, self.site.root / "assets" / "media")
            if path is not None:
                return path
        return self.site.bundle_image(self.site.root / "assets" / "media", stem)

    def _site_links(self, params):
        """The lab's own profiles from params (`twitter` handles, `social` lists)."""
        places = [params]
        marketing = params.get("marketing")
        if isinstance(marketing, dict) and isinstance(marketing.get("seo"), dict):
            places.append(marketing["seo"])
        links = []
        for place in places:
            for kind, base in LAB_PROFILES.items():
                handle = _text(place.get(kind)).lstrip("@")
                if handle and re.fullmatch(r"[\w.-]{1,60}", handle):
                    links.append((kind, base + handle))
        for n, (kind, url) in enumerate(dict.fromkeys(links)):
            SiteLink.objects.update_or_create(kind=kind, url=url, defaults={"order": n})

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
            # Merged into the menu there is: an item of the same link takes the site's
            # label and place; items the site does not have stay, after its own.
            existing = {m.url: m for m in MenuItem.objects.all()}
            seen = set()
            n = 0
            for item in items:
                url = self._menu_url(item)[:300]
                if not is_safe_link(url):
                    self.report.warn(source, f"menu link '{url}' is not a safe link; left out")
                    continue
                if url in seen:
                    continue
                seen.add(url)
                label = _text(item.get("name"))[:60] or "Link"
                menu_item = existing.get(url) or MenuItem(url=url)
                menu_item.label, menu_item.order = label, n * 10
                menu_item.save()
                n += 1
            for menu_item in existing.values():
                if menu_item.url not in seen:
                    menu_item.order = n * 10
                    menu_item.save(update_fields=["order"])
                    n += 1
            return SiteSettings.load()

        self._upsert("config/_default/menus", SiteSettings, checksum, fill, "menu")
