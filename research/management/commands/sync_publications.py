"""`manage.py sync_publications [--person SLUG] [--enqueue]`: read members' ORCID and
OpenAlex works into the publication inbox (research.inbox).

Runs the sync here and prints a line per person; `--enqueue` hands it to the task
worker instead (what a schedule, e.g. cron or a compose job, would call).
"""

from django.core.management.base import BaseCommand, CommandError

from people.models import Person
from research import inbox


class Command(BaseCommand):
    help = "Propose members' new works (ORCID, OpenAlex) in the publication inbox."

    def add_arguments(self, parser):
        parser.add_argument("--person", help="Only this person (their slug).")
        parser.add_argument("--enqueue", action="store_true",
                            help="Queue the sync for the task worker instead.")  # fmt: skip

    def handle(self, *args, person=None, enqueue=False, **options):
        chosen = None
        if person:
            chosen = Person.objects.filter(slug=person).first()
            if chosen is None:
                raise CommandError(f"No person with the slug '{person}'.")
            if not (chosen.orcid or chosen.openalex_id):
                raise CommandError(f"{chosen} has neither an ORCID iD nor an OpenAlex id.")
        if enqueue:
            inbox.sync_publications.enqueue(chosen.pk if chosen else None)
            self.stdout.write("Sync queued for the task worker.")
            return
        runs = inbox.sync_all(chosen)
        for run in runs:
            line = f"{run.person.slug}: {run.proposed} proposed"
            self.stdout.write(line + (f"; failed: {run.errors}" if run.errors else ""))
        if not runs:
            self.stdout.write("Nobody has an ORCID iD or an OpenAlex id yet.")
