"""`manage.py wait_for_db`: block until the database answers (container start-up)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection


class Command(BaseCommand):
    help = "Wait until the default database accepts queries."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=60.0, help="Seconds to wait.")

    def handle(self, *args, timeout, **options):
        deadline = time.monotonic() + timeout
        while True:
            try:
                connection.ensure_connection()
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
                self.stdout.write("Database is ready.")
                return
            except DatabaseError as exc:
                connection.close()
                if time.monotonic() >= deadline:
                    raise CommandError(f"Database not reachable after {timeout:g}s: {exc}") from exc
                time.sleep(1)
