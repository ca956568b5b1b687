"""Map a Hugo Blox / Wowchemy site onto the portal's content models.

Everything happens in one transaction: a malformed file aborts the import with
its name and line and nothing is written (unless `skip_invalid`, which skips
that file and imports the rest, each file in its own savepoint). Each imported
file is remembered with a checksum in `ImportedItem`, so a second run reports
"unchanged" and a changed file updates the object it created.
"""

import time

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction

from importers.hugo.base import Bookkeeping
from importers.hugo.blocks import BlockMapper
from importers.hugo.events import EventMapper
from importers.hugo.news import NewsMapper
from importers.hugo.pages import PageMapper
from importers.hugo.people import PeopleMapper
from importers.hugo.projects import ProjectMapper
from importers.hugo.publications import PublicationMapper
from importers.hugo.reader import HugoSite, SiteError
from importers.hugo.report import ImportFailed, Report
from importers.hugo.settings_map import SettingsMapper
from pages.models import (
    clear_site_cache,
)
from people.models import (
    Person,
)
from research.bibtex_import import PersonMatcher


class HugoImporter(
    Bookkeeping,
    SettingsMapper,
    PeopleMapper,
    ProjectMapper,
    PublicationMapper,
    NewsMapper,
    EventMapper,
    PageMapper,
    BlockMapper,
):
    def __init__(self, root, *, dry_run=False, skip_invalid=False):
        self.site = HugoSite(root)
        self.dry_run = dry_run
        self.skip_invalid = skip_invalid
        self.report = Report(dry_run=dry_run)
        self.errors = []
        self.saved_files = []
        self.image_fields = []
        self.authors = {}  # author folder name (as written and lower-case) -> Person
        self.projects = {}  # project folder name -> Project
        self.group_order = []
        self.matcher = None

    # ---- running ---------------------------------------------------------------------

    def run(self):
        started = time.perf_counter()
        try:
            with transaction.atomic():
                self._import_all()
                if self.errors:
                    raise ImportFailed(self.errors)
                if self.dry_run:
                    transaction.set_rollback(True)
                else:
                    # Bulk writes send no signals: drop the cached site context explicitly.
                    transaction.on_commit(clear_site_cache)
        except BaseException:
            self._delete_saved_files()
            raise
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _delete_saved_files(self):
        """After a rollback, remove the image files this run wrote."""
        names = list(self.saved_files)
        names += [getattr(obj, f).name for obj, f in self.image_fields if getattr(obj, f)]
        for name in names:
            default_storage.delete(name)

    def _import_all(self):
        self._guard("config/_default/params", self._import_settings)
        self._guard("config/_default/menus", self._import_menus)
        self._scan_people_widgets()
        for folder in self._children("authors"):
            self._guard(folder, self._import_author, folder)
        people = list(Person.objects.all())
        self.matcher = PersonMatcher(people)
        for source in self._entries("project"):
            self._guard(source, self._import_project, source)
        for source in self._entries("publication"):
            self._guard(source, self._import_publication, source)
        for section in ("post", "blog"):  # Hugo Blox names the posts section "blog"
            for source in self._entries(section):
                self._guard(source, self._import_post, source, section)
        for section in ("event", "talk"):
            for source in self._entries(section):
                self._guard(source, self._import_event, source, section)
        self._import_pages()
        self._guard("redirects", self._section_redirects)

    def _guard(self, source, function, *args):
        """Run one file's import in a savepoint; collect its error instead of raising."""
        label = source if isinstance(source, str) else self.site.relative(source)
        try:
            with transaction.atomic():
                return function(*args)
        except SiteError as exc:
            error = exc
        except ValidationError as exc:
            error = SiteError(label, "; ".join(exc.messages))
        except (ValueError, OverflowError, DatabaseError) as exc:
            # A value no mapping anticipated; the savepoint is rolled back.
            error = SiteError(label, f"could not be imported ({exc})")
        if self.skip_invalid:
            self.report.skipped.append(str(error))
        else:
            self.errors.append(error)
        return None
