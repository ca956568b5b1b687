"""Validators for links editors type into the admin (menus, buttons, social links).

A link may be a site path (`/people/`, `/#about`), a same-page anchor, or an
http(s)/mailto URL. Anything else (`javascript:`, `data:`, `//evil.example`,
`/\\evil.example`) is refused: these values end up in `href` attributes.

Profile links (people's and the lab's) are checked by their kind as well: a website,
GitHub or Scholar link is a web address, an email link is an address; a value such
as `javascript&colon;alert(1)//@x` is neither.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
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


WEB_LINK_MESSAGE = _("Use a full web address starting with https:// or http://.")
EMAIL_LINK_MESSAGE = _("Use an email address (name@example.org), or mailto: and one.")
# Kinds (people.SocialLink.Kind values) whose link may also be an email address.
EMAIL_KINDS = {"email"}
MIXED_KINDS = {"other"}


def is_web_link(value):
    return is_safe_link(value) and value.strip().lower().startswith(("http://", "https://"))


def is_email_link(value):
    value = (value or "").strip()
    if value.lower().startswith("mailto:"):
        value = value[len("mailto:") :]
    if not value or any(ch in value for ch in "?&/\\:;<>\"' \t\r\n"):
        return False
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def validate_link_for_kind(kind, value):
    """A profile link that fits its kind (raises ValidationError otherwise)."""
    if kind in EMAIL_KINDS:
        if not is_email_link(value):
            raise ValidationError(EMAIL_LINK_MESSAGE, code="invalid_email_link")
    elif kind in MIXED_KINDS:
        if not (is_web_link(value) or is_email_link(value)):
            raise ValidationError(MESSAGE, code="invalid_link")
    elif not is_web_link(value):
        raise ValidationError(WEB_LINK_MESSAGE, code="invalid_web_link")
