"""Open citation counts (optional, CITATION_COUNTS=1): fetched in the background from
OpenAlex, else Crossref, stored with their source and date, shown on a publication's
page as "cited by N (OpenAlex, July 2026)". Never fetched per request, never a
third-party script in the page.
"""

import logging

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from research.sources import crossref, openalex
from research.sources.http import SourceError

log = logging.getLogger(__name__)


class CitationCount(models.Model):
    publication = models.OneToOneField(
        "research.Publication", on_delete=models.CASCADE, related_name="citation_count"
    )
    count = models.PositiveIntegerField(_("cited by"))
    source = models.CharField(_("source"), max_length=30)
    fetched_at = models.DateTimeField(_("fetched"))

    class Meta:
        verbose_name = _("citation count")

    def __str__(self):
        return f"{self.count} ({self.source}, {self.fetched_at:%B %Y})"


def count_of(doi):
    """(count, source name) from the first open source that knows the DOI."""
    errors = []
    for module in (openalex, crossref):
        try:
            record = module.fetch(doi)
        except SourceError as exc:
            errors.append(str(exc))
            continue
        if record.cited_by is not None:
            return record.cited_by, module.NAME
    raise SourceError("citation counts", "; ".join(errors) or "no source counts it")


def refresh(publications):
    """Fetch and store the counts of these publications; returns (stored, failed)."""
    stored = failed = 0
    for publication in publications:
        try:
            count, source = count_of(publication.doi)
        except SourceError as exc:
            failed += 1
            log.warning("citation count of %s: %s", publication.doi, exc)
            continue
        CitationCount.objects.update_or_create(
            publication=publication,
            defaults={"count": count, "source": source, "fetched_at": timezone.now()},
        )
        stored += 1
    return stored, failed


@task()
def refresh_citation_counts():
    """Every published publication with a DOI; does nothing unless CITATION_COUNTS."""
    from research.models import Publication

    if not settings.CITATION_COUNTS:
        return
    stored, failed = refresh(Publication.objects.published().exclude(doi=""))
    log.info("citation counts: %d stored, %d failed", stored, failed)
