"""`manage.py restore PATH`: load a backup into a fresh database and MEDIA_ROOT."""

from django.core.management.base import BaseCommand

from airml.backup import restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into a "
        "migrated, empty database, all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Archive file made by `manage.py backup`.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the database's current content first (in the same transaction).",
        )

    def handle(self, *args, path, replace, **options):
        summary = restore_backup(path, replace=replace)
        self.stdout.write(
            f"Restored {summary['objects']} objects and {summary['media_files']} media "
            f"files (backup of {summary['created']})."
        )
        claimed = (summary["claimed_objects"], summary["claimed_media_files"])
        if claimed != (summary["objects"], summary["media_files"]):
            self.stderr.write(
                f"The archive's manifest claimed {claimed[0]} objects and {claimed[1]} media "
                "files; the numbers above are what was restored."
            )
