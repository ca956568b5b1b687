"""`manage.py sync_publications [--person SLUG] [--enqueue]`: read members' ORCID and
OpenAlex works into the publication inbox (research.inbox).

Runs the sync here and prints a line per person; `--enqueue` hands it to the task
worker instead (what a schedule, e.g. cron or a compose job, would call).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from people.models import Person
from research import citation_counts, inbox
from research.models import Publication


class Command(BaseCommand):
    help = "Propose members' new works (ORCID, OpenAlex) in the publication inbox."

    def add_arguments(self, parser):
        parser.add_argument("--person", help="Only this person (their slug).")
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the sync for the task worker instead."
        )
        parser.add_argument(
            "--citations", action="store_true", help="Also refresh the open citation counts."
        )

    def handle(self, *args, person=None, enqueue=False, citations=False, **options):
        if citations:
            self._citations(enqueue)
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

    def _citations(self, enqueue):
        if not settings.CITATION_COUNTS:
            raise CommandError("Citation counts are off: set CITATION_COUNTS=1.")
        if enqueue:
            citation_counts.refresh_citation_counts.enqueue()
            return
        stored, failed = citation_counts.refresh(Publication.objects.published().exclude(doi=""))
        self.stdout.write(f"Citation counts: {stored} stored, {failed} failed.")
