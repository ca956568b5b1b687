"""Shared template tags: responsive `<img>` for uploaded images, JSON-LD blocks, icons,
the initials that stand in for a missing image."""

import json
import re

from django import template
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from airml.renditions import dimensions, srcset

register = template.Library()

# Words an item's initials skip ("The Ethics of AI" -> "EA").
_MINOR_WORDS = {"a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "the", "to", "with",
                "d", "de", "des", "du", "et", "l", "la", "le"}  # fmt: skip

_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def responsive_image(image, alt="", sizes="100vw", css_class="", loading="lazy", width=None,
                     height=None):  # fmt: skip
    """An `<img>` with WebP renditions in `srcset`, `sizes`, and width/height (the
    image's own, or the box given for fixed-size images such as avatars), so the page
    does not jump while it loads. No database query; renditions come from files."""
    if not image:
        return ""
    size = dimensions(image)
    if width is None and size:
        width, height = size
    attrs = [("src", image.url), ("srcset", srcset(image)), ("sizes", sizes),
             ("width", width), ("height", height), ("alt", alt), ("class", css_class),
             ("loading", loading), ("decoding", "async")]  # fmt: skip
    shown = [(name, value) for name, value in attrs if value not in (None, "")]
    if not shown[1:] or shown[1][0] != "srcset":
        shown = [(name, value) for name, value in shown if name != "sizes"]
    return format_html("<img{}>", format_html_join("", ' {}="{}"', shown))


@register.simple_tag
def jsonld(data):
    """A <script type="application/ld+json"> block, escaped so data cannot close it."""
    payload = json.dumps(data, ensure_ascii=False, default=str).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


@register.filter
def initials(title):
    """Up to two capitals from a title's first words, for a card without an image."""
    words = re.findall(r"\b[^\W\d_][\w'-]*", str(title))
    major = [word for word in words if word.lower() not in _MINOR_WORDS] or words
    return "".join(word[0] for word in major[:2]).upper()


@register.filter
def listing_templates(view, items):
    """The templates for showing `items` in `view`: a kind's own version first
    (`listing/people/card.html`), then the shared one (`listing/card.html`)."""
    kind = getattr(items[0], "listing_kind", "") if items else ""
    shared = f"listing/{view}.html"
    return [f"listing/{kind}/{view}.html", shared] if kind else [shared]


@register.simple_tag
def icon(name, css_class=""):
    """One icon of static/icons/sprite.svg, hidden from assistive technology: the
    link or button it sits in carries the text."""
    classes = f"icon {css_class}".strip()
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false" width="16" height="16">'
        '<use href="{}#{}"></use></svg>',
        classes,
        static("icons/sprite.svg"),
        name,
    )
