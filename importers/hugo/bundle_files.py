"""Files a bundle publishes beside its page (a paper's PDF, slides), kept as media.

Hugo publishes every resource of a leaf bundle at `<page URL><file name>`. Documents
among them are copied byte for byte (they are not images: nothing is re-encoded)
through Django's storage under `files/<content hash>/<name>`, so the same file is
stored once however often the site is imported; the old URL becomes a stored
redirect to the media URL, and `url_pdf: paper.pdf` (or `/publication/key/paper.pdf`,
or a file of `static/`) becomes that media URL. A file whose link leads outside the
site, or larger than MAX_FILE_BYTES, is a warning and stays where it was (its old
URL keeps answering with the bundle's page, by rule).
"""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.text import get_valid_filename

FILE_SUFFIXES = {".pdf", ".ppt", ".pptx", ".pps", ".ppsx", ".key", ".odp", ".doc", ".docx",
                 ".odt", ".rtf", ".xls", ".xlsx", ".ods", ".csv", ".zip", ".ps", ".eps",
                 ".tex", ".ipynb", ".txt"}  # fmt: skip
MAX_FILE_BYTES = 50 * 1024 * 1024
UPLOAD_TO = "files/"


class BundleFiles:
    def _bundle_documents(self, folder):
        """The documents of a leaf bundle (beside its index, not in a nested bundle)."""
        found = []
        for path in sorted(folder.iterdir()) if folder.is_dir() else ():
            if path.name.startswith(".") or path.suffix.lower() not in FILE_SUFFIXES:
                continue
            if path.is_file() or path.is_symlink():
                found.append(path)
        return found

    def _documents_key(self, folder):
        """Names and sizes of a bundle's documents, for the checksum."""
        return repr([(p.name, p.stat().st_size) for p in self._bundle_documents(folder)
                     if p.is_file()])  # fmt: skip

    def _store_bundle_files(self, folder, old_urls, source):
        """Store each document of the bundle; redirect its old URLs (below each of the
        page's old URLs). Returns {file name: media URL}."""
        urls = {}
        for path in self._bundle_documents(folder):
            url = self._store_document(path, source)
            if url:
                urls[path.name] = url
                for old_url in dict.fromkeys(u for u in old_urls if u and u != "/"):
                    self._redirect(old_url.rstrip("/") + "/" + path.name, url)
        return urls

    def _store_document(self, path, source):
        """The media URL of a document stored as is, or '' (with a warning)."""
        safe = self.site.inside(path)
        if safe is None or not safe.is_file():
            self.report.warn(source, f"'{path.name}' points outside the site; left out")
            return ""
        size = safe.stat().st_size
        if size > MAX_FILE_BYTES:
            mb = MAX_FILE_BYTES // 2**20
            self.report.warn(source, f"'{path.name}' is larger than {mb} MB; not stored")
            return ""
        data = safe.read_bytes()
        digest = hashlib.sha256(data).hexdigest()[:16]
        name = f"{UPLOAD_TO}{digest}/{get_valid_filename(path.name)}"
        if self.dry_run:
            return default_storage.url(name)
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(data))
            self.saved_files.append(name)
        return default_storage.url(name)

    def _local_document(self, value, folder, old_url, files, source):
        """The media URL for a link to a file of this site (a bundle document, a
        document under static/), or None when the link is not one."""
        reference = str(value or "").split("?")[0].split("#")[0].strip()
        if not reference or "://" in reference or reference.startswith("mailto:"):
            return None
        name = reference.lstrip("./")
        prefix = (old_url or "").strip("/") + "/"
        if prefix != "/" and reference.lstrip("/").startswith(prefix):
            name = reference.lstrip("/")[len(prefix) :]
        if name in files:
            return files[name]
        path = self.site.resolve_asset(reference, folder)
        if path is None or path.suffix.lower() not in FILE_SUFFIXES:
            return None
        url = self._store_document(path, source)
        static = self.site.root / "static"
        if url and path.is_relative_to(static):
            self._redirect("/" + path.relative_to(static).as_posix(), url)
        return url or None
