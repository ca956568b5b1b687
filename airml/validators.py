"""Validators for links editors type into the admin (menus, buttons, social links).

A link may be a site path (`/people/`, `/#about`), a same-page anchor, or an
http(s)/mailto URL. Anything else (`javascript:`, `data:`, `//evil.example`,
`/\\evil.example`) is refused: these values end up in `href` attributes.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MESSAGE = _("Use a site path such as /people/, or a full http(s):// or mailto: address.")


def is_safe_link(value):
    value = (value or "").strip()
    if not value or any(ch in value for ch in "\\\t\n\r") or value != value.strip():
        return False
    if value.startswith("#"):
        return True
    if value.startswith("/"):
        return not value.startswith("//")
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    if parts.scheme == "mailto":
        return "@" in parts.path
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def validate_link(value):
    if not is_safe_link(value):
        raise ValidationError(MESSAGE, code="invalid_link")
