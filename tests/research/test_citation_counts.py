"""Open citation counts: fetched in the background from recorded answers, shown with
their source and date, off by default."""

import pytest
from django.utils import timezone
from django.utils.dateformat import format as date_format

from research import citation_counts
from research.citation_counts import CitationCount
from tests.factories import PublicationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shut_network")]


@pytest.fixture
def papers(recorded):
    recorded.openalex_doi("10.7554/elife.01567", "openalex/work-by-doi-10.7554_elife.01567.json")
    recorded.crossref("10.1371/journal.pone.0033693")  # OpenAlex not recorded: Crossref
    return [
        PublicationFactory(doi="10.7554/elife.01567", slug="elife", status="published"),
        PublicationFactory(doi="10.1371/journal.pone.0033693", slug="plos", status="published"),
        PublicationFactory(doi="10.9999/unknown", slug="unknown", status="published"),
    ]


def test_counts_come_from_openalex_else_crossref_and_failures_are_counted(papers):
    stored, failed = citation_counts.refresh(papers)

    assert (stored, failed) == (2, 1)
    counts = {c.publication.slug: (c.count, c.source) for c in CitationCount.objects.all()}
    assert counts == {"elife": (45, "OpenAlex"), "plos": (72, "Crossref")}


def test_the_task_does_nothing_unless_turned_on(papers, settings):
    settings.CITATION_COUNTS = False
    citation_counts.refresh_citation_counts.call()
    assert CitationCount.objects.count() == 0

    settings.CITATION_COUNTS = True
    citation_counts.refresh_citation_counts.call()
    assert CitationCount.objects.count() == 2


def test_the_page_shows_the_count_with_its_source_and_month(papers, client, settings):
    citation_counts.refresh(papers[:1])
    month = date_format(timezone.now(), "F Y")

    settings.CITATION_COUNTS = False
    assert "cited by" not in client.get("/publications/elife/").content.decode()

    settings.CITATION_COUNTS = True
    html = client.get("/publications/elife/").content.decode()
    assert f"cited by 45 (OpenAlex, {month})" in html
