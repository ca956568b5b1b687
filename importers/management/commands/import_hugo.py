"""`manage.py import_hugo PATH`: import a whole Hugo Blox / Wowchemy site."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from importers.hugo import HugoImporter, ImportFailed
from importers.hugo.reader import SiteError


class Command(BaseCommand):
    help = (
        "Import a Hugo Blox / Wowchemy site (content/ and config/_default/): people, "
        "publications, projects, posts, events, pages, menu and settings. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The Hugo site folder.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; write nothing."
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import everything else when some files are malformed, and list them.",
        )
        parser.add_argument(
            "--report",
            metavar="FILE.json",
            help="Also write what became of every file (one record per file) as JSON.",
        )

    def handle(self, *args, path, dry_run, skip_invalid, report=None, **options):
        report_path = report
        try:
            importer = HugoImporter(path, dry_run=dry_run, skip_invalid=skip_invalid)
            report = importer.run()
        except SiteError as exc:
            raise CommandError(str(exc)) from exc
        except ImportFailed as exc:
            lines = "\n".join(f"  {error}" for error in exc.errors)
            raise CommandError(
                f"Import aborted; nothing was written. Fix these files, or run again with "
                f"--skip-invalid to import the rest:\n{lines}"
            ) from exc
        if report_path:
            Path(report_path).write_text(report.as_json(), encoding="utf-8")
        self.stdout.write(report.render())
