"""DOI content negotiation (doi.org, Accept: application/x-bibtex): the last resort
for a DOI that neither Crossref nor DataCite serves (mEDRA, JaLC, ...).

doi.org redirects to the registration agency, which answers BibTeX; the entry is
read by the site's one BibTeX parser.
"""

from dataclasses import asdict

import research.sources.records as records
from research.bibtex import parse_bibtex
from research.sources.http import Client, SourceError

RESOLVER = "https://doi.org/"
NAME = "doi.org"

_client = None


def client():
    global _client
    if _client is None:
        _client = Client(NAME)
    return _client


def fetch(doi):
    text = client().get_text(RESOLVER + doi, headers={"Accept": "application/x-bibtex"})
    return to_record(text, doi)


def to_record(text, doi):
    found, errors = parse_bibtex(text)
    if not found:
        detail = errors[0].message if errors else "no entry"
        raise SourceError(NAME, f"answered BibTeX this site cannot read ({detail})")
    entry = asdict(found[0])
    result = records.SourceRecord(**entry, source="doi.org", identifier=f"doi:{doi}")
    result.doi = records.normalise_doi(result.doi) or doi
    return result
