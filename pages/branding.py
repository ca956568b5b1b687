"""The lab's accent colour turned into both themes' palette, with WCAG 2 contrast.

The light theme uses the accent as given for links, buttons and highlights, so it
must reach 4.5:1 (WCAG AA for text) against the light page and surface colours; a
colour that cannot is refused by the Site settings form, with a darker shade of the
same hue suggested. The dark theme mixes the accent towards white until it reaches
4.5:1 against the dark page and surface. The text on an accent-coloured button is
white or near-black, whichever contrasts more (at least 4.5:1 either way).

The palette is served as a tiny stylesheet (`/brand.css?v=<colour>`, see
pages.branding_views) because the Content-Security-Policy allows no inline styles.
"""

import hashlib
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

AA = 4.5
HEX = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")

# The backgrounds the accent is read on (static/css/site.css: --bg and --surface).
LIGHT_BACKGROUNDS = ("#ffffff", "#f6f8fa")
DARK_BACKGROUNDS = ("#0f1419", "#161b22")
WHITE, INK = "#ffffff", "#0f1419"


def parse_hex(value):
    """'#1d4ed8', '1d4ed8' or '#15d' -> (r, g, b) in 0..255; ValueError otherwise."""
    match = HEX.match(value.strip())
    if not match:
        raise ValueError(value)
    digits = match[1]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4))


def to_hex(rgb):
    return "#" + "".join(f"{round(max(0, min(255, c))):02x}" for c in rgb)


def normalise(value):
    """The canonical '#rrggbb' form of a valid colour."""
    return to_hex(parse_hex(value))


def relative_luminance(color):
    """WCAG 2 relative luminance of a hex colour (0 for black, 1 for white)."""

    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in parse_hex(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a, b):
    """WCAG 2 contrast ratio between two hex colours, from 1 to 21."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def worst_contrast(color, backgrounds):
    return min(contrast_ratio(color, bg) for bg in backgrounds)


def mix(color, towards, amount):
    """`color` moved `amount` (0..1) of the way to `towards`, in sRGB."""
    a, b = parse_hex(color), parse_hex(towards)
    return to_hex(tuple(x + (y - x) * amount for x, y in zip(a, b, strict=True)))


def _shade_until(color, towards, backgrounds):
    """The least mix of `color` towards `towards` that reaches AA on `backgrounds`."""
    for step in range(0, 101):
        candidate = mix(color, towards, step / 100)
        if worst_contrast(candidate, backgrounds) >= AA:
            return candidate
    return towards


def button_text(color):
    """White or near-black text for a button filled with `color`."""
    return max((WHITE, INK), key=lambda fg: contrast_ratio(fg, color))


def palette(color):
    """{"light": {...}, "dark": {...}} CSS custom properties for an accent colour
    that passes `validate_accent_color`."""
    light = normalise(color)
    dark = _shade_until(light, WHITE, DARK_BACKGROUNDS)
    return {
        "light": {"--accent": light, "--accent-fg": button_text(light), "--highlight": light},
        "dark": {"--accent": dark, "--accent-fg": button_text(dark), "--highlight": dark},
    }


def validate_accent_color(value):
    """Refuse anything but a hex colour readable as link text on the light theme."""
    if not value:
        return
    try:
        color = normalise(value)
    except ValueError:
        raise ValidationError(_("Enter a hex colour such as #1d4ed8."), code="invalid") from None
    ratio = worst_contrast(color, LIGHT_BACKGROUNDS)
    if ratio < AA:
        raise ValidationError(
            _(
                "%(color)s is too light to read as text on a white page (contrast "
                "%(ratio).1f:1, at least 4.5:1 needed). A darker shade of it that works: "
                "%(suggestion)s."
            ),
            code="low_contrast",
            params={
                "color": color,
                "ratio": ratio,
                "suggestion": _shade_until(color, "#000000", LIGHT_BACKGROUNDS),
            },
        )


def palette_css(color):
    """The stylesheet that overrides site.css's accent variables in both themes."""
    colors = palette(color)

    def block(selector, values):
        body = "; ".join(f"{name}: {value}" for name, value in values.items())
        return f"{selector} {{ {body}; }}\n"

    return (
        "/* The lab's accent colour (Site settings), both themes; see pages/branding.py. */\n"
        + block(":root", colors["light"])
        + "@media (prefers-color-scheme: dark) {\n  "
        + block(':root:not([data-theme="light"])', colors["dark"])
        + "}\n"
        + block(':root[data-theme="dark"]', colors["dark"])
    )


def icon_version(site):
    """A short token that changes with whatever the icons and palette are made from."""
    source = site.favicon or site.logo
    basis = f"{source.name if source else ''}|{site.accent_color}|{site.name}"
    return hashlib.sha256(basis.encode()).hexdigest()[:10]
