"""Safe image handling for every upload (avatars, photos, Markdown images).

`process_image` is the one gate:
1. size limit on the bytes (MAX_BYTES), before anything is parsed;
2. Pillow opens the header with an explicit format allow-list (JPEG, PNG, WebP);
   dimensions declared in the header are checked (MAX_DIMENSION per side,
   MAX_PIXELS in total) *before* any pixel is decoded, and Pillow's own
   decompression-bomb warning is an error too, whatever Image.MAX_IMAGE_PIXELS says;
3. polyglots are refused: data after the image's declared end (PNG after IEND,
   WebP after its RIFF size) and web-page code (HTML, SVG, script, PHP) in the
   metadata segments or after a JPEG's end;
4. the first frame is decoded (animations are flattened), EXIF orientation is
   applied, the mode is normalised (CMYK to RGB; palettes with transparency keep it);
5. it is re-encoded without EXIF, GPS, XMP or comments, scaled down to MAX_SIDE; a
   picture that needs none of step 4 nor scaling keeps its own bytes, with those
   metadata segments cut out losslessly (airml.image_metadata).
Files get random names carrying the detected format's extension and the pixel size
(`<hex>-<width>x<height>.<ext>`), so templates can emit width/height without I/O.
"""

import re
import struct
import uuid
import warnings
from dataclasses import dataclass
from io import BytesIO

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageOps

from airml import image_metadata

ALLOWED_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"),
                   "WEBP": ("webp", "image/webp")}  # fmt: skip
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # well below Pillow's own bomb threshold (about 89 million)
MAX_DIMENSION = 12_000  # per side, as declared in the file's header
MAX_SIDE = 3000  # larger photos are scaled down on upload

# Web-page code that must never sit in an image's metadata or trailing data.
MARKUP = re.compile(
    rb"<(?:script|html|body|iframe|object|embed|svg[\s>/]|\?php|!doctype)|javascript:", re.I
)

INVALID = _("Upload a valid JPEG, PNG or WebP image; this file is not one.")
TOO_MANY_PIXELS = _("The image has too many pixels (at most %(mp)s megapixels, %(side)s pixels a side).")  # fmt: skip  # noqa: E501
POLYGLOT = _("This image also contains other content (web page code or hidden data) and is refused; export it again from an image editor.")  # fmt: skip  # noqa: E501


@dataclass
class ProcessedImage:
    data: bytes
    extension: str
    content_type: str
    width: int
    height: int


def _too_many_pixels():
    return ValidationError(
        TOO_MANY_PIXELS, params={"mp": MAX_PIXELS // 1_000_000, "side": MAX_DIMENSION}
    )


def _jpeg_regions(data):
    """Metadata segments before the scan data, and anything after the last EOI."""
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xDA:  # start of scan: compressed pixels follow
            break
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        pos += 2 + length
    end = data.rfind(b"\xff\xd9")
    return [data[:pos], data[end + 2 :] if end != -1 else b""], False


def _png_regions(data):
    regions, pos = [], 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind not in (b"IDAT", b"fdAT"):
            regions.append(data[pos + 8 : pos + 8 + length])
        pos += 12 + length
        if kind == b"IEND":
            return regions, pos < len(data)
    return regions, False  # truncated: decoding will refuse it


def _webp_regions(data):
    (riff_size,) = struct.unpack("<I", data[4:8])
    end = 8 + riff_size
    regions, pos = [], 12
    while pos + 8 <= min(end, len(data)):
        kind, length = struct.unpack("<4sI", data[pos : pos + 8])
        if kind not in (b"VP8 ", b"VP8L", b"ANMF", b"ALPH"):
            regions.append(data[pos + 8 : pos + 8 + length])
        pos += 8 + length + (length & 1)
    return regions, len(data) > end + 1


def _check_polyglot(data, fmt):
    regions, trailing = {"PNG": _png_regions, "WEBP": _webp_regions}.get(fmt, _jpeg_regions)(data)
    if trailing or any(MARKUP.search(region) for region in regions):
        raise ValidationError(POLYGLOT)


def _open(data, max_side=MAX_SIDE):
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("The image is larger than %(mb)s MB."), params={"mb": MAX_BYTES // 2**20}
        )
    if not data:
        raise ValidationError(INVALID)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data), formats=list(ALLOWED_FORMATS))
            width, height = image.size
            if max(width, height) > MAX_DIMENSION or width * height > MAX_PIXELS:
                raise _too_many_pixels()
            fmt = "JPEG" if image.format == "MPO" else image.format
            if fmt not in ALLOWED_FORMATS:
                raise ValidationError(INVALID)
            _check_polyglot(data, fmt)
            _draft(image, max_side)
            image.load()  # the first frame only
    except ValidationError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise _too_many_pixels() from exc
    except Exception as exc:  # Pillow raises many types for broken or foreign files
        raise ValidationError(INVALID) from exc
    return image, fmt


def _draft(image, max_side):
    """A JPEG larger than it will be stored is decoded at a reduced scale (1/2 to
    1/8, never below twice the stored size, as Pillow's `thumbnail` does when given
    the file unread): a 24-megapixel photo decodes several times faster."""
    width, height = image.size
    if image.format in ("JPEG", "MPO") and max(width, height) > max_side:
        factor = 2 * max_side / max(width, height)
        image.draft(None, (max(1, int(width * factor)), max(1, int(height * factor))))


def _unchanged(image, fmt, max_side):
    """True when storing this picture needs no change of its pixels."""
    return (
        image.format == fmt  # not a multi-picture JPEG
        and not getattr(image, "is_animated", False)
        and max(image.size) <= max_side
        and image.getexif().get(ExifTags.Base.Orientation, 1) == 1
        and _normalise_mode(image, fmt) is image
    )


def _normalise_mode(image, fmt):
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if fmt == "JPEG":
        return image if image.mode in ("RGB", "L") else image.convert("RGB")
    if image.mode in ("RGB", "RGBA", "L") and "transparency" not in image.info:
        return image
    return image.convert("RGBA" if has_alpha else "RGB")


def process(data, max_side=MAX_SIDE):
    """Validate and re-encode image bytes into a `ProcessedImage`.

    Raises ValidationError with an editor-readable message for anything that is
    not a well-formed JPEG, PNG or WebP of sensible size.
    """
    image, fmt = _open(data, max_side)
    extension, content_type = ALLOWED_FORMATS[fmt]
    if _unchanged(image, fmt, max_side):
        # Decoded above, so it is a whole, valid picture: stored as it is, without
        # its metadata, rather than encoded again (slow, and lossy for JPEG/WebP).
        stripped = image_metadata.strip(data, fmt)
        if stripped is not None:
            return ProcessedImage(stripped, extension, content_type, *image.size)
    try:
        image = ImageOps.exif_transpose(image)
        image = _normalise_mode(image, fmt)
        if max(image.size) > max_side:
            # Halved by box averaging first, then resampled: a third faster than
            # Pillow's default gap of 2 for a mean difference of 0.2 of 255 levels
            # (measured on a 7522-pixel-wide lab site image).
            image.thumbnail((max_side, max_side), reducing_gap=1.0)
        # Pillow writes some metadata from `info` by default (a JPEG's comment, for
        # one): keep only the colour profile, which says how to show the pixels.
        icc_profile = image.info.get("icc_profile")
        image.info = {"icc_profile": icc_profile} if icc_profile else {}
        out = BytesIO()
        # PNG at zlib's default level: `optimize` (level 9) took three times as long
        # for files 1 % smaller (measured on a lab site's 15 PNGs).
        save_args = {"quality": 85} if fmt in ("JPEG", "WEBP") else {"compress_level": 6}
        # No exif=, xmp= or pnginfo=: metadata is not written; only the pixels survive.
        image.save(out, format=fmt, **save_args)
    except (OSError, ValueError) as exc:
        raise ValidationError(INVALID) from exc
    return ProcessedImage(out.getvalue(), extension, content_type, *image.size)


def process_image(data, max_side=MAX_SIDE):
    """Validate and re-encode image bytes; return (bytes, extension, content type)."""
    result = process(data, max_side)
    return result.data, result.extension, result.content_type


class ProcessedUpload(SimpleUploadedFile):
    """An upload that has been through `process` (so it is not processed twice)."""


def clean_upload(upload):
    """Turn an uploaded file into a re-encoded one with a random name."""
    if (getattr(upload, "size", None) or 0) > MAX_BYTES:
        raise ValidationError(
            _("The image is larger than %(mb)s MB."), params={"mb": MAX_BYTES // 2**20}
        )
    if isinstance(upload, ProcessedUpload):
        return upload
    if hasattr(upload, "seek"):
        upload.seek(0)
    result = process(upload.read(MAX_BYTES + 1))
    name = f"{uuid.uuid4().hex}-{result.width}x{result.height}.{result.extension}"
    return ProcessedUpload(name, result.data, result.content_type)


class SafeImageFormField(forms.ImageField):
    def to_python(self, data):
        if data is None or data in self.empty_values:
            return None
        if hasattr(data, "read"):
            return clean_upload(data)
        return super().to_python(data)


class SafeImageField(models.ImageField):
    """An ImageField whose every new file goes through `process_image`.

    Form uploads are processed while the form is cleaned (a refusal is a form
    error); files assigned in code (importers, factories) are processed on save.
    Once stored, the file's responsive renditions are written (airml.renditions).
    """

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SafeImageFormField, **kwargs})

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        is_new = bool(file) and not file._committed
        # Stored already while its admin form was validated (airml.storage).
        stored_by_form = bool(file) and getattr(file, "stored_by_form", False)
        if is_new and not isinstance(file.file, ProcessedUpload):
            processed = clean_upload(file.file)
            file.file, file.name = processed, processed.name
        file = super().pre_save(model_instance, add)
        if is_new or stored_by_form:
            file.stored_by_form = False
            from airml.renditions import generate_renditions

            generate_renditions(file)
        return file


ALT_TEXT_HELP = _(
    "Describe the image for people who cannot see it (read aloud by screen readers). "
    "Required when an image is set."
)
ALT_TEXT_MISSING = _(
    "Describe this image: visitors using a screen reader hear this text instead of "
    "seeing the picture."
)


class AltTextRequiredMixin:
    """Model mixin: an image shown on the site needs its description (alt text).

    Subclasses map each image field to its alt-text field in `alt_text_fields`,
    e.g. `{"image": "image_alt"}`. Checked in `clean()`, so every admin form
    refuses an image without a description with an error on the description field;
    code (importers, factories) that saves directly is not affected.
    """

    alt_text_fields = {}

    def clean(self):
        super().clean()
        errors = {
            alt: ALT_TEXT_MISSING
            for image, alt in self.alt_text_fields.items()
            if getattr(self, image) and not (getattr(self, alt) or "").strip()
        }
        if errors:
            raise ValidationError(errors)
