"""Publication metadata from outside: one module per source, one resolver.

`fetch_all(identifiers)` turns 'doi:...' / 'arxiv:...' identifiers into
SourceRecords (research.sources.records), each from the source that registers
it: a DOI from Crossref, else DataCite, else doi.org content negotiation; arXiv
ids from arXiv, many in one request. Failures come back as SourceError values,
one per identifier: one bad DOI never hides the others. See docs/sources.md.
"""

import logging
from concurrent.futures import ThreadPoolExecutor

from research.sources import arxiv, crossref, datacite, negotiation
from research.sources.http import NotFound, SourceError
from research.sources.records import ARXIV_DOI

log = logging.getLogger(__name__)
DOI_WORKERS = 4


def fetch_doi(doi):
    """The record of a DOI from the agency that has it; NotFound when none does."""
    agencies = [datacite, crossref] if ARXIV_DOI.match(doi) else [crossref, datacite]
    for agency in [*agencies, negotiation]:
        try:
            return agency.fetch(doi)
        except NotFound:
            continue
    raise NotFound("DOI", f"no registration agency knows {doi}")


def _fetch_or_error(identifier):
    try:
        return fetch_doi(identifier.removeprefix("doi:"))
    except SourceError as exc:
        return exc


def fetch_all(identifiers):
    """{identifier: SourceRecord or SourceError}, in the order asked."""
    arxiv_ids = [i.removeprefix("arxiv:") for i in identifiers if i.startswith("arxiv:")]
    found = {}
    if arxiv_ids:
        try:
            found.update({f"arxiv:{k}": v for k, v in arxiv.fetch_many(arxiv_ids).items()})
        except SourceError as exc:
            found.update({f"arxiv:{i}": exc for i in arxiv_ids})
    dois = [i for i in identifiers if i.startswith("doi:")]
    # A few at once: a paste of 50 DOIs is not 50 round trips in a row (the agencies
    # welcome a handful of parallel requests; arXiv, which does not, went above).
    with ThreadPoolExecutor(max_workers=DOI_WORKERS) as pool:
        for identifier, result in zip(dois, pool.map(_fetch_or_error, dois), strict=True):
            found[identifier] = result
    for identifier, result in found.items():
        if isinstance(result, SourceError):
            log.warning("metadata source failed for %s: %s", identifier, result)
    return {i: found[i] for i in identifiers}
