"""Safe image handling for every upload (avatars, photos, Markdown images).

Pillow opens the file with an explicit format allow-list and pixel limit,
applies the EXIF orientation, and re-encodes it, so metadata (EXIF, GPS) is
dropped and polyglot payloads do not survive.  Files get random names with the
extension of the detected format.
"""

import uuid
import warnings
from io import BytesIO

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

ALLOWED_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"),
                   "WEBP": ("webp", "image/webp")}  # fmt: skip
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # well below Pillow's own bomb threshold
MAX_SIDE = 3000  # larger photos are scaled down on upload


def process_image(data, max_side=MAX_SIDE):
    """Validate and re-encode image bytes; return (bytes, extension, content type).

    Raises ValidationError with an editor-readable message for anything that is
    not a well-formed JPEG, PNG or WebP of sensible size.
    """
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("The image is larger than %(mb)s MB."), params={"mb": MAX_BYTES // 2**20}
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data), formats=list(ALLOWED_FORMATS))
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("The image has too many pixels."))
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise ValidationError(_("The image has too many pixels.")) from exc
    except Exception as exc:  # Pillow raises many types for broken or foreign files
        raise ValidationError(
            _("Upload a valid JPEG, PNG or WebP image; this file is not one.")
        ) from exc
    fmt = image.format
    image = ImageOps.exif_transpose(image)
    if max(image.size) > max_side:
        image.thumbnail((max_side, max_side))
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = BytesIO()
    save_args = {"quality": 85} if fmt in ("JPEG", "WEBP") else {"optimize": True}
    image.save(out, format=fmt, **save_args)  # no exif= argument: metadata is dropped
    extension, content_type = ALLOWED_FORMATS[fmt]
    return out.getvalue(), extension, content_type


def clean_upload(upload):
    """Turn an uploaded file into a re-encoded one with a random name."""
    data, extension, content_type = process_image(upload.read())
    return SimpleUploadedFile(f"{uuid.uuid4().hex}.{extension}", data, content_type)


class SafeImageFormField(forms.ImageField):
    def to_python(self, data):
        if data is None or data in self.empty_values:
            return None
        if hasattr(data, "read"):
            data.seek(0)
            return clean_upload(data)
        return super().to_python(data)


class SafeImageField(models.ImageField):
    """An ImageField whose admin/form uploads go through `process_image`."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SafeImageFormField, **kwargs})
