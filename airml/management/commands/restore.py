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
        manifest = restore_backup(path, replace=replace)
        self.stdout.write(
            f"Restored {manifest['objects']} objects and {manifest['media_files']} media "
            f"files (backup of {manifest['created']})."
        )
