"""Replay of the API answers recorded in ../shared/fixtures/metadata, network shut.

`Recorded` serves each file at the URL PROVENANCE.md says it was recorded from,
through the `responses` library (requests' transport); any other request fails.
`shut_network` makes every socket connection fail, except to the test database.
"""

import socket
from pathlib import Path
from urllib.parse import quote

import pytest
import responses
from django.conf import settings
from responses import matchers

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "metadata"
if not FIXTURES.is_dir():  # the main checkout and the worktrees sit side by side
    FIXTURES = Path("/work/shared/fixtures/metadata")

CROSSREF = "https://api.crossref.org/works/"
DATACITE = "https://api.datacite.org/dois/"
ARXIV = "https://export.arxiv.org/api/query"
OPENALEX = "https://api.openalex.org/"
ORCID = "https://pub.orcid.org/v3.0/"

# DOI -> kind in the recorded file's name (crossref/work-<kind>-<doi with _>.json).
CROSSREF_WORKS = {
    "10.1371/journal.pone.0033693": "journal-article",
    "10.1109/icdcsw.2003.1203662": "proceedings-article",
    "10.1145/3448016.3452841": "proceedings-article-with-funders",
    "10.1101/2020.12.01.406702": "posted-content-preprint",
    "10.1016/j.neurobiolaging.2010.03.024": "journal-article-funder",
    "10.7554/elife.01567": "journal-article-funder-relations",
    "10.7554/elife.55167.sa2": "peer-review",
}
DATACITE_DOIS = {
    "10.5281/zenodo.48440": "datacite/doi-software-10.5281_zenodo.48440.json",
    "10.5061/dryad.8515": "datacite/doi-dataset-10.5061_dryad.8515.json",
    "10.48550/arxiv.2311.16162": "datacite/doi-preprint-arxiv-10.48550_arxiv.2311.16162.json",
}
ARXIV_QUERIES = {
    "1605.08386": "arxiv/query-id_list-1605.08386.atom.xml",
    "astro-ph/0601001": "arxiv/query-id_list-astro-ph_0601001.atom.xml",
    "2104.12255v1": "arxiv/query-id_list-2104.12255v1.atom.xml",
    "quant-ph/0201082v1": "arxiv/query-id_list-quant-ph_0201082v1.atom.xml",
    "0808.05394,1707.08567": "arxiv/query-id_list-0808.05394_1707.08567.atom.xml",
    "0000.0000": "arxiv/query-id_list-0000.0000-empty.atom.xml",
}


def body(name):
    return (FIXTURES / name).read_bytes()


class Recorded:
    """The recorded answers, registered on a `responses.RequestsMock` on demand."""

    def __init__(self, mock):
        self.mock = mock

    def add(self, url, name, status=200, content_type="application/json", **kwargs):
        self.mock.add(responses.GET, url, body=body(name), status=status,
                      content_type=content_type, **kwargs)  # fmt: skip

    def crossref(self, doi):
        kind = CROSSREF_WORKS[doi]
        self.add(CROSSREF + doi, f"crossref/work-{kind}-{doi.replace('/', '_')}.json")

    def crossref_404(self, doi="10.1371/notarealdoi"):
        self.add(CROSSREF + doi, "crossref/work-404-10.1371_notarealdoi.txt", 404, "text/plain")

    def datacite(self, doi):
        self.add(DATACITE + doi, DATACITE_DOIS[doi],
                 match=[matchers.query_param_matcher({"include": "media,client"})])  # fmt: skip

    def datacite_404(self, doi):
        self.add(DATACITE + doi, "errors/datacite-404-doi-not-found.json", 404)

    def doi_org_404(self, doi):
        self.add("https://doi.org/" + doi, "errors/doi-org-404-unknown-doi.html", 404,
                 "text/html")  # fmt: skip

    def arxiv(self, ids, name=None, status=200):
        query = {"search_query": "", "id_list": ids, "sortBy": "relevance",
                 "sortOrder": "descending", "start": "0", "max_results": "100"}  # fmt: skip
        self.add(ARXIV, name or ARXIV_QUERIES[ids], status, "application/atom+xml",
                 match=[matchers.query_param_matcher(query)])  # fmt: skip

    def openalex_doi(self, doi, name):
        self.add(f"{OPENALEX}works/https://doi.org/{quote(doi, safe='/')}", name)

    def orcid_works(self, orcid, name):
        self.add(f"{ORCID}{orcid}/works", name)

    def orcid_work(self, orcid, put_code, name):
        self.add(f"{ORCID}{orcid}/work/{put_code}", name)


@pytest.fixture
def shut_network(monkeypatch):
    """Any socket connection fails, but the test database's (PostgreSQL runs)."""
    db = settings.DATABASES["default"]
    allowed = {(db.get("HOST") or "", str(db.get("PORT") or ""))} if db.get("HOST") else set()
    real_connect = socket.socket.connect

    def connect(self, address):
        if isinstance(address, tuple) and (address[0], str(address[1])) in allowed:
            return real_connect(self, address)
        if self.family == getattr(socket, "AF_UNIX", None) and allowed:
            return real_connect(self, address)
        raise OSError(f"network shut in tests: connection to {address!r} refused")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", lambda self, address: 111)
    monkeypatch.setattr(socket, "create_connection", _refuse)


def _refuse(address, *args, **kwargs):
    raise OSError(f"network shut in tests: connection to {address!r} refused")


@pytest.fixture
def recorded(shut_network, settings):
    settings.SOURCES_CONTACT_EMAIL = ""
    settings.OPENALEX_API_KEY = ""
    from research.sources import arxiv, crossref, datacite, negotiation, openalex, orcid

    for module in (arxiv, crossref, datacite, negotiation, openalex, orcid):
        module._client = None
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield Recorded(mock)
    for module in (arxiv, crossref, datacite, negotiation, openalex, orcid):
        module._client = None
