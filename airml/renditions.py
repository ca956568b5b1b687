"""Responsive renditions of uploaded images: WebP at 320, 640 and 1280 pixels wide.

django-imagekit (a maintained Pillow-based library, no database tables) generates
them in a background task queued when an image is saved (SafeImageField.pre_save;
with TASKS_BACKEND=immediate the task runs within the save) and, as a safety net for
older files or a task not run yet, just in time on first use. Bulk imports wrap their
run in `deferred()`: nothing is made at save; with a worker, tasks follow the block.
Their names derive from the source file's name, and whether one exists is remembered
in the cache, so rendering an image never queries the database. The source's size
comes from its file name (see airml.images), so `<img>` gets width/height without
opening the file.
"""

import logging
import re
from contextlib import contextmanager
from contextvars import ContextVar
from types import SimpleNamespace

from django.core.files.storage import default_storage
from imagekit import ImageSpec, register
from imagekit.cachefiles import ImageCacheFile
from pilkit.processors import ResizeToFit

from airml.tasks import retried_task, runs_in_background

logger = logging.getLogger(__name__)

WIDTHS = (320, 640, 1280)
SIZE_IN_NAME = re.compile(r"-(\d+)x(\d+)\.\w+$")
_deferred = ContextVar("renditions_deferred", default=None)  # names saved in deferred()


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
    hundreds of images). After it, with a task worker, one task per image is queued,
    so the worker makes them; with TASKS_BACKEND=immediate each is made on first use
    instead (JustInTime), keeping the import itself fast."""
    names = []
    token = _deferred.set(names)
    try:
        yield
    finally:
        _deferred.reset(token)
    if runs_in_background(write_renditions):  # reached only when the block succeeded
        for name in dict.fromkeys(names):
            write_renditions.enqueue(name)


def generate_renditions(field_file):
    """Queue the renditions of a just-saved image for the worker (`write_renditions`);
    inside `deferred()` only note its name."""
    size = dimensions(field_file)
    if not size:
        return
    pending = _deferred.get()
    if pending is not None:
        pending.append(field_file.name)
        return
    try:
        write_renditions.enqueue(field_file.name)
    except Exception:  # a missing rendition must never stop an editor's save
        logger.exception("Could not queue the renditions of %s", field_file.name)


@retried_task
def write_renditions(name):
    """Write the renditions of a stored image (`name` in the default storage). If
    this keeps failing, each rendition is still made on first use (JustInTime)."""
    size = dimensions(SimpleNamespace(name=name))
    if not size or not default_storage.exists(name):  # replaced or deleted since
        return
    with default_storage.open(name) as source:
        source.name = name  # a rendition's name derives from the stored name
        for cache_file, _width in _files(source, size[0]):
            cache_file.generate()


def srcset(field_file):
    """`srcset` value: the WebP renditions narrower than the original, then the
    original at its own width. Empty when the original's size is unknown."""
    size = dimensions(field_file)
    if not size:
        return ""
    candidates = [f"{cache_file.url} {w}w" for cache_file, w in _files(field_file, size[0])]
    candidates.append(f"{field_file.url} {size[0]}w")
    return ", ".join(candidates)
