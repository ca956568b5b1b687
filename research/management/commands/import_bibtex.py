"""`manage.py import_bibtex FILE [--dry-run]`: the admin's BibTeX import from a shell.

Same plan and apply code as the admin (research.bibtex_import): a line per entry,
a summary, and exit status 1 when any entry has an error.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from research import bibtex_import


class Command(BaseCommand):
    help = "Import publications from a BibTeX file (a line per entry; exit 1 on errors)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .bib file (UTF-8), or - for standard input.")
        parser.add_argument("--dry-run", action="store_true", help="Plan only; write nothing.")

    def handle(self, *args, file, dry_run, **options):
        text = self._read(file)
        entries = bibtex_import.plan(text)
        if dry_run:
            counts = bibtex_import.count(entries)
        else:
            counts = bibtex_import.apply(entries)
        for entry in entries:
            self.stdout.write(bibtex_import.describe(entry))
        verb = "would import" if dry_run else "imported"
        summary = (f"{verb}: {counts['new']} new, {counts['update']} updated, "
                   f"{counts['unchanged']} unchanged, {counts['error']} with errors")  # fmt: skip
        if counts["error"]:
            self.stderr.write(summary)
            raise CommandError(f"{counts['error']} entries with errors", returncode=1)
        self.stdout.write(summary)

    @staticmethod
    def _read(file):
        try:
            if file == "-":
                return sys.stdin.read()
            with open(file, encoding="utf-8-sig") as handle:
                return handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
