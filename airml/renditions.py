"""Responsive renditions of uploaded images: WebP at 320, 640 and 1280 pixels wide.

django-imagekit (a maintained Pillow-based library, no database tables) generates
them: when an image is saved (SafeImageField.pre_save) and, as a safety net for
older files, just in time on first use. Bulk imports wrap their run in
`deferred()`: nothing is written at save, each rendition is made on its first use.
Their names derive from the source file's name, and whether one exists is remembered
in the cache, so rendering an image never queries the database. The source's size
comes from its file name (see airml.images), so `<img>` gets width/height without
opening the file.
"""

import logging
import re
from contextlib import contextmanager
from contextvars import ContextVar

from imagekit import ImageSpec, register
from imagekit.cachefiles import ImageCacheFile
from pilkit.processors import ResizeToFit

logger = logging.getLogger(__name__)

WIDTHS = (320, 640, 1280)
SIZE_IN_NAME = re.compile(r"-(\d+)x(\d+)\.\w+$")
_deferred = ContextVar("renditions_deferred", default=False)


class WebPRendition(ImageSpec):
    format = "WEBP"
    options = {"quality": 80}

    def __init__(self, source, width):
        self.processors = [ResizeToFit(width=width, upscale=False)]
        super().__init__(source=source)


# imagekit runs the JustInTime strategy (make the file when its URL is asked for) only
# for registered generators: unregistered, a rendition never written at save would
# stay missing for ever.
register.generator("airml:webp_rendition", WebPRendition)


def dimensions(field_file):
    """(width, height) of a stored image, from its name; None when unknown."""
    match = SIZE_IN_NAME.search(getattr(field_file, "name", "") or "")
    return (int(match[1]), int(match[2])) if match else None


def _files(field_file, width):
    return [(ImageCacheFile(WebPRendition(field_file, w)), w) for w in WIDTHS if w < width]


@contextmanager
def deferred():
    """Within this block images are saved without their renditions (an import of
    hundreds of images); each is then made on first use (JustInTime strategy)."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def generate_renditions(field_file):
    """Write the renditions of a just-saved image (failures only logged: they are
    generated again on first use). Nothing is written inside `deferred()`."""
    size = dimensions(field_file)
    if not size or _deferred.get():
        return
    try:
        for cache_file, _width in _files(field_file, size[0]):
            cache_file.generate()
    except Exception:  # a missing rendition must never stop an editor's save
        logger.exception("Could not write renditions of %s", field_file.name)


def srcset(field_file):
    """`srcset` value: the WebP renditions narrower than the original, then the
    original at its own width. Empty when the original's size is unknown."""
    size = dimensions(field_file)
    if not size:
        return ""
    candidates = [f"{cache_file.url} {w}w" for cache_file, w in _files(field_file, size[0])]
    candidates.append(f"{field_file.url} {size[0]}w")
    return ", ".join(candidates)
