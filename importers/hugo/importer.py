"""Map a Hugo Blox / Wowchemy site onto the portal's content models.

Everything happens in one transaction: a malformed file aborts the import with
its name and line and nothing is written (unless `skip_invalid`, which skips
that file and imports the rest, each file in its own savepoint). Each imported
file is remembered with a checksum in `ImportedItem`, so a second run reports
"unchanged" and a changed file updates the object it created.
"""

import time
from collections import defaultdict
from contextlib import nullcontext

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction

from airml import renditions
from airml.cache import one_bump
from importers.hugo.accounting import Accounting
from importers.hugo.base import Bookkeeping
from importers.hugo.blocks import BlockMapper
from importers.hugo.bundle_files import BundleFiles
from importers.hugo.events import EventMapper
from importers.hugo.layouts import LayoutMapper
from importers.hugo.news import NewsMapper
from importers.hugo.pages import PageMapper
from importers.hugo.people import PeopleMapper
from importers.hugo.projects import ProjectMapper
from importers.hugo.publications import PublicationMapper
from importers.hugo.reader import HugoSite, SiteError
from importers.hugo.report import ImportFailed, Report
from importers.hugo.rules import SiteRules
from importers.hugo.settings_map import SettingsMapper
from importers.hugo.values import ImpossibleDate
from pages.models import (
    clear_site_cache,
)
from people.models import (
    Person,
)
from research.bibtex_import import PersonMatcher
from research.citations import refresh


class HugoImporter(
    Bookkeeping,
    BundleFiles,
    Accounting,
    SettingsMapper,
    PeopleMapper,
    ProjectMapper,
    PublicationMapper,
    NewsMapper,
    EventMapper,
    PageMapper,
    BlockMapper,
    LayoutMapper,
):
    def __init__(self, root, *, dry_run=False, skip_invalid=False, renditions_at_save=False):
        self.site = HugoSite(root)
        # Renditions are made on first use (airml.renditions.deferred), not at save:
        # at save they were most of a first import's time.
        self.renditions_at_save = renditions_at_save
        self.dry_run = dry_run
        self.skip_invalid = skip_invalid
        self.report = Report(dry_run=dry_run)
        self.errors = []
        self.saved_files = []
        self.image_fields = []
        self.processed_images = {}  # sha256 of an image file -> its processed upload
        self.authors = {}  # author folder name (as written and lower-case) -> Person
        self.projects = {}  # project folder name -> Project
        self.group_order = []
        self.matcher = None
        self.parsed = {}  # path -> (front matter, body)
        self.redirects = None  # old path -> new path, as stored at the end of the run
        self.redirects_at_start = {}
        self.imported = None  # source key -> (content type, object, checksum) (base._imported)
        self.imported_at_start = {}
        self.known_objects = {}  # model -> objects of earlier imports, slugs of the others
        self.known_tags = None  # slug -> Tag
        self.known_groups = None  # slug -> Group
        self.journal = []  # (table, key, previous value): undone when a savepoint rolls back
        self.to_cite = []  # publications written: their citations are formatted once, at the end

    # ---- running ---------------------------------------------------------------------

    def run(self):
        started = time.perf_counter()
        defer = nullcontext() if self.renditions_at_save else renditions.deferred()
        try:
            # One drop of the cached pages' version, after the commit (not one a save).
            with one_bump(), defer, transaction.atomic():
                self._import_all()
                if self.errors:
                    raise ImportFailed(self.errors)
                if self.dry_run:
                    transaction.set_rollback(True)
                else:
                    # Once for all papers, with all authors written: two queries in all
                    # rather than two per paper (a paper whose file rolled back is gone
                    # and updates nothing).
                    refresh(self.to_cite)
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
        config = self.site.config("config") or self.site.config("hugo")
        languages = self.site.config("languages")
        self.rules = SiteRules(self.site, config, languages, warn=self.report.warn)
        self._guard("config/_default/params", self._import_settings)
        self._guard("config/_default/menus", self._import_menus)
        self._scan_people_widgets()
        sections = defaultdict(list)
        for folder, kind in self.rules.sections():
            sections[kind].append(folder)
        for folder in sections["people"]:
            for person in self._person_folders(folder):
                self._guard(person, self._import_author, person)
        self.matcher = PersonMatcher(list(Person.objects.all()))
        mappers = {
            "project": self._import_project,
            "publication": self._import_publication,
            "news": self._import_post,
            "event": self._import_event,
        }
        for kind, mapper in mappers.items():
            for folder in sections[kind]:
                for source in self.rules.entries(folder):
                    self._guard(source, mapper, source, folder.name)
        self._import_pages(sections)
        self._guard("layouts", self._import_layouts)
        self._guard("redirects", self._section_redirects)
        self._flush()
        self._account_for_the_rest()

    def _date_error(self, label, exc):
        """An impossible date, named with the file and line where it is written."""
        path = self.site.root / label
        if path.is_dir():
            path = self.rules.page_file(path, "index") or self.rules.page_file(path, "_index")
        if path is None or not path.is_file():
            return SiteError(label, str(exc))
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            if exc.text in line:
                return SiteError(self.site.relative(path), str(exc), number)
        return SiteError(self.site.relative(path), str(exc))

    def _guard(self, source, function, *args):
        """Run one file's import in a savepoint; collect its error instead of raising."""
        label = source if isinstance(source, str) else self.site.relative(source)
        mark = len(self.journal)
        try:
            try:
                with transaction.atomic():
                    return function(*args)
            except BaseException:
                self._undo(mark)  # what the rolled-back savepoint had remembered
                raise
        except SiteError as exc:
            error = exc
        except ImpossibleDate as exc:
            error = self._date_error(label, exc)
        except ValidationError as exc:
            error = SiteError(label, "; ".join(exc.messages))
        except (ValueError, OverflowError, DatabaseError) as exc:
            # A value no mapping anticipated; the savepoint is rolled back.
            error = SiteError(label, f"could not be imported ({exc})")
        if self.skip_invalid:
            self.report.skipped.append(str(error))
            for file in self.rules.files_under(self.site.root / label):
                self.report.record(
                    file.relative_to(self.site.root).as_posix(),
                    "skipped",
                    reason=error.message,
                    replace=True,
                )
        else:
            self.errors.append(error)
        return None
