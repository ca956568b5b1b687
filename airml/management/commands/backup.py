"""`manage.py backup PATH`: the database content and uploaded media in one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from airml.backup import create_backup


class Command(BaseCommand):
    help = (
        "Write a .tar.gz backup of the database content and the media files. "
        "PATH may be a folder: a dated file is created in it."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Archive file, or an existing folder.")

    def handle(self, *args, path, **options):
        if Path(path).is_dir():
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            path = str(Path(path) / f"airml-backup-{stamp}.tar.gz")
        manifest = create_backup(path)
        self.stdout.write(
            f"Backed up {manifest['objects']} objects and "
            f"{manifest['media_files']} media files to {path}"
        )
