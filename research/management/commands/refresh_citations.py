"""`manage.py refresh_citations`: format every publication's stored citation and BibTeX
again, 250 at a time through `research.citations.refresh`.

Run once after an upgrade that changes what citations show (member authors became
links to their profiles): rows formatted before keep the old form until their paper
or one of its members is saved again.
"""

from django.core.management.base import BaseCommand

from research.bibtex_import import format_citations
from research.models import Publication


class Command(BaseCommand):
    help = "Format every publication's citation and BibTeX again (after an upgrade)."

    def handle(self, *args, **options):
        pks = list(Publication.objects.order_by("pk").values_list("pk", flat=True))
        format_citations(pks)
        self.stdout.write(f"{len(pks)} citations formatted.")
