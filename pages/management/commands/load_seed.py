"""`manage.py load_seed`: load the lab's seed content; safe to run again."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pages.seed_content import SEED_FILE, SeedError, load_seed


class Command(BaseCommand):
    help = "Create the seed content (research page, directions, menu, home) where missing."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=SEED_FILE, help="Seed Markdown file.")

    def handle(self, *args, **options):
        path = options["file"]
        if not path.is_file():
            raise CommandError(f"Seed file not found: {path}")
        try:
            created = load_seed(path)
        except SeedError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        if created:
            self.stdout.write(self.style.SUCCESS(f"Seed loaded: {created} objects created."))
        else:
            self.stdout.write("Seed already loaded: nothing changed.")
