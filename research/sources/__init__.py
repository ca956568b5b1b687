"""Publication metadata from outside: one module per source, one resolver.

`fetch_all(identifiers)` turns 'doi:...' / 'arxiv:...' identifiers into
SourceRecords (research.sources.records), each from the source that registers
it: a DOI from Crossref, else DataCite, else doi.org content negotiation; arXiv
ids from arXiv, many in one request. Failures come back as SourceError values,
one per identifier: one bad DOI never hides the others. See docs/sources.md.
"""

import logging

from research.sources import arxiv, crossref, datacite, negotiation
from research.sources.http import NotFound, SourceError
from research.sources.records import ARXIV_DOI

log = logging.getLogger(__name__)


def fetch_doi(doi):
    """The record of a DOI from the agency that has it; NotFound when none does."""
    agencies = [datacite, crossref] if ARXIV_DOI.match(doi) else [crossref, datacite]
    for agency in [*agencies, negotiation]:
        try:
            return agency.fetch(doi)
        except NotFound:
            continue
    raise NotFound("DOI", f"no registration agency knows {doi}")


def fetch_all(identifiers):
    """{identifier: SourceRecord or SourceError}, in the order asked."""
    arxiv_ids = [i.removeprefix("arxiv:") for i in identifiers if i.startswith("arxiv:")]
    found = {}
    if arxiv_ids:
        try:
            found.update({f"arxiv:{k}": v for k, v in arxiv.fetch_many(arxiv_ids).items()})
        except SourceError as exc:
            found.update({f"arxiv:{i}": exc for i in arxiv_ids})
    for identifier in identifiers:
        if identifier.startswith("doi:"):
            try:
                found[identifier] = fetch_doi(identifier.removeprefix("doi:"))
            except SourceError as exc:
                found[identifier] = exc
    for identifier, result in found.items():
        if isinstance(result, SourceError):
            log.warning("metadata source failed for %s: %s", identifier, result)
    return {i: found[i] for i in identifiers}
