"""Branding files: the accent palette stylesheet and every favicon size.

All icons are made with Pillow from the one square upload in Site settings
(`favicon`, else the `logo`), or drawn from the lab's initial in the accent colour
when neither is set, so `/favicon.ico` is never a 404. The bytes are kept in the
cache under the source file's name and the colour, so a new upload or colour gives
new icons at once and a warm request reads no file and runs no query.
"""

import io

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET
from PIL import Image, ImageDraw, ImageFont, ImageOps

from pages.branding import button_text, icon_version, normalise, palette_css
from pages.context_processors import site_data

DEFAULT_ACCENT = "#0b5cad"  # static/css/site.css --accent
ICO_SIZES = (16, 32, 48)
PNG_SIZES = {"apple-touch-icon.png": 180, "icon-192.png": 192, "icon-512.png": 512}
DAY = 86400


def _source(site):
    return site.favicon or site.logo or None


def _square(image, size, background=None):
    image = ImageOps.exif_transpose(image).convert("RGBA")
    image = ImageOps.fit(image, (size, size), Image.Resampling.LANCZOS)
    if background:
        flat = Image.new("RGBA", image.size, background)
        flat.alpha_composite(image)
        image = flat
    return image


def _drawn(site, size):
    """The lab's initial, white on its accent colour, in a rounded square."""
    accent = normalise(site.accent_color) if site.accent_color else DEFAULT_ACCENT
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 5, fill=accent)
    letter = (site.name.strip()[:1] or "L").upper()
    font = ImageFont.load_default(size=int(size * 0.62))
    draw.text((size / 2, size / 2), letter, font=font, fill=button_text(accent), anchor="mm")
    return image


def _image(site, size, background=None):
    source = _source(site)
    if source:
        try:
            with source.open("rb") as handle, Image.open(handle) as image:
                image.load()
                return _square(image, size, background)
        except (OSError, ValueError):
            pass  # an unreadable upload: fall back to the drawn icon
    drawn = _drawn(site, size)
    if background:
        flat = Image.new("RGBA", drawn.size, background)
        flat.alpha_composite(drawn)
        return flat
    return drawn


def _render(site, filename):
    buffer = io.BytesIO()
    if filename == "favicon.ico":
        _image(site, max(ICO_SIZES)).save(buffer, format="ICO", sizes=[(s, s) for s in ICO_SIZES])
    else:
        # iOS shows a transparent touch icon on black: give it a white ground.
        background = "#ffffff" if filename == "apple-touch-icon.png" else None
        _image(site, PNG_SIZES[filename], background).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


@require_GET
def icon(request, filename):
    if filename != "favicon.ico" and filename not in PNG_SIZES:
        raise Http404
    site = site_data()["site"]
    key = f"branding:{filename}:{icon_version(site)}"
    data = cache.get(key)
    if data is None:
        data = _render(site, filename)
        cache.set(key, data, 30 * DAY)
    content_type = "image/x-icon" if filename.endswith(".ico") else "image/png"
    response = HttpResponse(data, content_type=content_type)
    # Browsers ask for /favicon.ico by name: a day, so a new upload shows soon.
    patch_cache_control(response, public=True, max_age=DAY)
    return response


@require_GET
def brand_css(request):
    """The accent palette; its URL carries the colour, so it is cached for a year."""
    site = site_data()["site"]
    if not site.accent_color:
        raise Http404
    response = HttpResponse(palette_css(site.accent_color), content_type="text/css")
    patch_cache_control(response, public=True, max_age=365 * DAY)
    return response
