"""Uploads and the disk: a file is either stored whole or not at all, and a storage
error (disk full, read-only media) is a form error, never a 500.

- `AtomicFileSystemStorage` (the default storage) writes each upload to a hidden
  temporary file next to its final place and links it into place only once it is
  complete and synced: a full disk leaves no 0-byte or truncated file behind.
- `StoreUploadsMixin` (added to every admin form and inline form by airml.admin)
  stores a form's new files while the form is validated: when that fails, the
  field gets "The image could not be stored: the disk is full." and the rest of
  the form is shown again as typed.
- `discard_unsaved_uploads()` wraps an admin save: files stored for a save that did
  not happen (another field refused, the database gone) are deleted again, so no
  file is left without its row and no row points at a missing file.
"""

import contextlib
import contextvars
import errno
import logging
import os
import tempfile

from django.core.files.storage import FileSystemStorage
from django.db.models import FileField
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

REASONS = {
    errno.ENOSPC: _("the disk is full"),
    errno.EDQUOT: _("the storage quota is used up"),
    errno.EROFS: _("the media storage is read-only"),
    errno.EACCES: _("the server may not write to the media storage"),
    errno.EPERM: _("the server may not write to the media storage"),
    errno.EIO: _("the media storage reported an error"),
}
NOT_STORED = _("The image could not be stored: %(reason)s. Nothing was saved; try again later or tell the site's administrator.")  # fmt: skip  # noqa: E501


def storage_error_message(exc):
    """The editor-facing sentence for a storage OSError."""
    reason = REASONS.get(getattr(exc, "errno", None)) or _("the media storage reported an error")
    return NOT_STORED % {"reason": reason}


class AtomicFileSystemStorage(FileSystemStorage):
    """FileSystemStorage that never leaves a partly written file."""

    def _write_chunks(self, out, content):
        for chunk in content.chunks():
            out.write(chunk)

    def _make_directory(self, directory):
        if self.directory_permissions_mode is None:
            os.makedirs(directory, exist_ok=True)
            return
        old_umask = os.umask(0o777 & ~self.directory_permissions_mode)
        try:
            os.makedirs(directory, self.directory_permissions_mode, exist_ok=True)
        finally:
            os.umask(old_umask)

    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        self._make_directory(directory)
        fd, partial = tempfile.mkstemp(dir=directory, prefix=".upload-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                if hasattr(content, "seek"):
                    content.seek(0)
                self._write_chunks(out, content)
                out.flush()
                os.fsync(out.fileno())  # a full disk can surface only here
            os.chmod(partial, self.file_permissions_mode or 0o644)
            while True:
                try:
                    _link_into_place(partial, full_path)
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(partial)
        return str(name).replace("\\", "/")


# File systems without hard links (some network and FUSE mounts) say so with these.
NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS}


def _link_into_place(partial, full_path):
    """Put the complete file at `full_path`, never over an existing file."""
    try:
        os.link(partial, full_path)  # atomic, and refuses to replace an existing file
        return
    except OSError as exc:
        if isinstance(exc, FileExistsError) or exc.errno not in NO_HARD_LINKS:
            raise
    # Claim the name first (refused if taken), then move the complete file over it.
    os.close(os.open(full_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
    try:
        os.replace(partial, full_path)
    except OSError:
        os.unlink(full_path)
        raise


# Files stored during the current admin save, so a save that fails can remove them.
_pending = contextvars.ContextVar("airml_pending_uploads", default=None)


class _Uploads:
    def __init__(self):
        self.stored = []
        self.saved = False

    def keep(self):
        self.saved = True


@contextlib.contextmanager
def discard_unsaved_uploads():
    """Delete the files stored inside this block unless `keep_uploads()` was called and
    the block ends without an exception (a failed commit raises one)."""
    uploads = _Uploads()
    token = _pending.set(uploads)
    try:
        yield uploads
    except BaseException:
        uploads.saved = False
        raise
    finally:
        _pending.reset(token)
        if not uploads.saved:
            for storage, name in uploads.stored:
                try:
                    storage.delete(name)
                except OSError:
                    logger.exception("Could not remove %s after a failed save", name)


def keep_uploads():
    """The save these files belong to has written its rows: keep them (if it commits)."""
    uploads = _pending.get()
    if uploads is not None:
        uploads.keep()


def _remember(storage, name):
    uploads = _pending.get()
    if uploads is not None:
        uploads.stored.append((storage, name))


class StoreUploadsMixin:
    """ModelForm mixin: store new files while validating, as form errors if that fails.

    Only a form with no other error stores its files (a refused form stores none).
    """

    def _post_clean(self):
        super()._post_clean()
        if self._errors:
            return
        for field in self.instance._meta.get_fields():
            if not isinstance(field, FileField) or field.name not in self.fields:
                continue
            file = getattr(self.instance, field.attname)
            if not file or file._committed:
                continue
            try:
                file.save(file.name, file.file, save=False)
            except OSError as exc:
                logger.warning("Upload for %s not stored: %s", field.name, exc)
                # The instance must not keep a name that points at no file.
                setattr(self.instance, field.attname, self.initial.get(field.name))
                self.add_error(field.name, storage_error_message(exc))
                continue
            stored = getattr(self.instance, field.attname)  # save() replaced the object
            stored.stored_by_form = True  # SafeImageField.pre_save writes its renditions
            _remember(stored.storage, stored.name)


def with_stored_uploads(form_class):
    """`form_class` with StoreUploadsMixin (once)."""
    if issubclass(form_class, StoreUploadsMixin):
        return form_class
    return type(form_class.__name__, (StoreUploadsMixin, form_class), {"__module__": __name__})
