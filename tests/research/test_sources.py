"""The metadata sources on their real recorded answers, with the network shut."""

import datetime
import json
import socket

import pytest
import requests
import responses
from urllib3 import HTTPResponse
from urllib3.util import retry as urllib3_retry

from research.sources import arxiv, crossref, datacite, fetch_all, negotiation, openalex, orcid
from research.sources.http import Client, NotFound, SourceError, make_retry
from research.sources.records import parse_identifier, parse_identifiers
from tests.recorded import (
    ARXIV,
    CROSSREF,
    FIXTURES,
    body,
)

pytestmark = pytest.mark.usefixtures("shut_network")  # fixtures of tests/recorded.py


def test_shut_network_refuses_a_socket():
    with pytest.raises(OSError, match="network shut"):
        socket.create_connection(("api.crossref.org", 443), timeout=1)
    with pytest.raises(OSError, match="network shut"):
        socket.socket().connect(("93.184.216.34", 80))


def test_unrecorded_request_fails_as_a_source_error(recorded):
    with pytest.raises(SourceError, match="Crossref: could not be reached"):
        crossref.fetch("10.9999/not-recorded")


@pytest.mark.parametrize(
    "text, identifier",
    [
        ("10.1371/journal.pone.0033693", "doi:10.1371/journal.pone.0033693"),
        ("https://doi.org/10.1145/3448016.3452841", "doi:10.1145/3448016.3452841"),
        ("doi:10.7554/eLife.01567", "doi:10.7554/elife.01567"),
        ("2104.12255v1", "arxiv:2104.12255"),
        ("arXiv:1605.08386", "arxiv:1605.08386"),
        ("https://arxiv.org/abs/astro-ph/0601001v1", "arxiv:astro-ph/0601001"),
        ("https://arxiv.org/pdf/1707.08567.pdf", "arxiv:1707.08567"),
    ],
)
def test_parse_identifier_reads_dois_arxiv_ids_and_their_urls(text, identifier):
    assert parse_identifier(text) == identifier


def test_parse_identifiers_reports_what_is_neither_and_drops_repeats():
    rows = parse_identifiers("10.1371/journal.pone.0033693\nhello, 1605.08386 1605.08386v2")
    assert rows == [
        ("10.1371/journal.pone.0033693", "doi:10.1371/journal.pone.0033693", ""),
        ("hello", None, "'hello' is neither a DOI nor an arXiv id"),
        ("1605.08386", "arxiv:1605.08386", ""),
    ]


def test_crossref_journal_article_fills_every_field_it_has(recorded):
    recorded.crossref("10.1371/journal.pone.0033693")
    record = crossref.fetch("10.1371/journal.pone.0033693")
    assert record.title.startswith("Methylphenidate Exposure Induces Dopamine Neuron Loss")
    assert record.authors[:2] == ["Shankar Sadasivan", "Brooks B. Pond"]
    assert len(record.authors) == 6
    assert (record.date, record.date_precision) == (datetime.date(2012, 3, 21), "day")
    assert (record.pub_type, record.entry_type, record.venue_field) == (
        "article-journal", "article", "journal")  # fmt: skip
    assert record.venue == "PLoS ONE"
    assert record.bib == {
        "volume": "7", "number": "3", "pages": "e33693",
        "publisher": "Public Library of Science (PLoS)", "issn": "1932-6203",
        "editors": "Cesario V. Borlongan",
        "url": "https://dx.plos.org/10.1371/journal.pone.0033693",
    }  # fmt: skip
    assert record.doi == "10.1371/journal.pone.0033693"
    assert record.cited_by == 72


def test_crossref_proceedings_article_is_a_conference_paper(recorded):
    recorded.crossref("10.1145/3448016.3452841")
    record = crossref.fetch("10.1145/3448016.3452841")
    assert (record.pub_type, record.entry_type, record.venue_field) == (
        "paper-conference", "inproceedings", "booktitle")  # fmt: skip
    assert record.venue.startswith("Proceedings of the 2021 International Conference on Management")


def test_crossref_preprint_names_its_server(recorded):
    recorded.crossref("10.1101/2020.12.01.406702")
    record = crossref.fetch("10.1101/2020.12.01.406702")
    assert (record.pub_type, record.venue) == ("preprint", "bioRxiv")
    assert len(record.authors) == 8


def test_crossref_relation_has_preprint_becomes_a_relation():
    items = json.loads(body("crossref/works-query-ecology-author-boettiger.json"))["message"]
    work = next(i for i in items["items"] if i["DOI"] == "10.1002/ece3.2314")
    record = crossref.to_record(work)
    assert record.relations == {"has-preprint": ["doi:10.1101/014852"]}


def test_crossref_404_is_not_found_and_malformed_is_an_error(recorded):
    recorded.crossref_404()
    with pytest.raises(NotFound):
        crossref.fetch("10.1371/notarealdoi")
    recorded.add(CROSSREF + "10.1/x", "errors/crossref-400-query-with-doi.json")  # 200, no work
    with pytest.raises(SourceError, match="unexpected document|not a work"):
        crossref.fetch("10.1/x")
    recorded.add(CROSSREF + "10.1/html", "errors/doi-org-404-unknown-doi.html", 200, "text/html")
    with pytest.raises(SourceError, match="not JSON"):
        crossref.fetch("10.1/html")


def test_crossref_5xx_is_retried_then_reported(recorded, monkeypatch):
    monkeypatch.setattr("research.sources.http.BACKOFF", 0)
    for _ in range(4):
        recorded.add(CROSSREF + "10.1/five", "errors/crossref-500-works-cursor-5.json", 500)
    with pytest.raises(SourceError, match="answered 500"):
        crossref.fetch("10.1/five")
    assert len(recorded.mock.calls) == 4  # the first try and three retries


def test_a_429_is_retried_then_succeeds(recorded):
    recorded.add(CROSSREF + "10.1371/journal.pone.0033693",
                 "errors/semanticscholar-429-too-many-requests.json", 429,
                 headers={"Retry-After": "0"})  # fmt: skip
    recorded.crossref("10.1371/journal.pone.0033693")
    record = crossref.fetch("10.1371/journal.pone.0033693")
    assert record.doi == "10.1371/journal.pone.0033693"
    assert [c.response.status_code for c in recorded.mock.calls] == [429, 200]


def test_the_recorded_429_without_retry_after_is_reported_after_retries(recorded, monkeypatch):
    monkeypatch.setattr("research.sources.http.BACKOFF", 0)
    url = "https://api.semanticscholar.org/graph/v1/paper/search"
    for _ in range(4):
        recorded.add(url, "errors/semanticscholar-429-too-many-requests.json", 429)
    with pytest.raises(SourceError, match="answered 429: .*Too Many Requests"):
        Client("Semantic Scholar").get_json(url)
    assert len(recorded.mock.calls) == 4


@pytest.mark.parametrize("status", [429, 503])
def test_retry_waits_what_retry_after_says_else_backs_off(monkeypatch, status):
    sleeps = []
    monkeypatch.setattr(urllib3_retry.time, "sleep", sleeps.append)
    retry = make_retry()
    told = HTTPResponse(status=status, headers={"Retry-After": "7"})
    assert retry.is_retry("GET", status, has_retry_after=True)
    retry.sleep(told)
    retry = retry.increment("GET", "/", response=HTTPResponse(status=status))
    retry = retry.increment("GET", "/", response=HTTPResponse(status=status))
    retry.sleep(HTTPResponse(status=status))  # no Retry-After: exponential backoff
    assert sleeps == [7.0, 2.0]


def test_contact_email_and_api_key_are_sent(recorded, settings):
    settings.SOURCES_CONTACT_EMAIL = "lab@example.org"
    settings.OPENALEX_API_KEY = "k123"
    recorded.add(
        CROSSREF + "10.1371/journal.pone.0033693",
        CROSSREF_FILE,
        match=[responses.matchers.query_param_matcher({"mailto": "lab@example.org"})],
    )
    crossref._client = None
    crossref.fetch("10.1371/journal.pone.0033693")
    assert "mailto:lab@example.org" in recorded.mock.calls[0].request.headers["User-Agent"]
    assert openalex.params() == {"mailto": "lab@example.org", "api_key": "k123"}


CROSSREF_FILE = "crossref/work-journal-article-10.1371_journal.pone.0033693.json"


def test_arxiv_pauses_three_seconds_between_requests(recorded, monkeypatch):
    sleeps = []
    now = [1000.0]
    monkeypatch.setattr("research.sources.http.time.time", lambda: now[0])
    monkeypatch.setattr("research.sources.http.time.sleep", sleeps.append)
    recorded.arxiv("1605.08386")
    recorded.arxiv("astro-ph/0601001")
    arxiv.fetch("1605.08386")
    now[0] += 1.0
    arxiv.fetch("astro-ph/0601001")
    assert sleeps == [2.0]


def test_arxiv_entry_is_a_preprint_with_its_journal_ref(recorded):
    recorded.arxiv("astro-ph/0601001")
    record = arxiv.fetch("astro-ph/0601001")
    assert record.title.startswith("Frequency of Hot Jupiters and Very Hot Jupiters")
    assert record.authors == ["Andrew Gould", "Susan Dorsher", "B. Scott Gaudi", "Andrzej Udalski"]
    assert (record.date, record.date_precision) == (datetime.date(2006, 1, 2), "day")
    assert record.bib["eprint"] == "astro-ph/0601001"
    assert record.bib["archive_prefix"] == "arXiv"
    assert record.bib["primary_class"] == "astro-ph"
    assert record.extra["journal_ref"] == "ActaAstron.56:1-50,2006"
    assert record.url == "https://arxiv.org/pdf/astro-ph/0601001v1.pdf"


def test_arxiv_doi_links_the_preprint_to_its_published_version():
    records = arxiv.parse_feed(body("arxiv/query-search-testing-max10.atom.xml"))
    record = next(r for r in records if r.bib["eprint"] == "2202.12139")
    assert record.relations == {"is-preprint-of": ["doi:10.1109/icstw55395.2022.00035"]}
    assert record.pub_type == "preprint"


def test_arxiv_batch_reports_the_missing_id_and_keeps_34_authors(recorded):
    recorded.arxiv("0808.05394,1707.08567")
    found = arxiv.fetch_many(["0808.05394", "1707.08567"])
    assert isinstance(found["0808.05394"], NotFound)
    assert len(found["1707.08567"].authors) == 34  # the longest author list recorded


def test_arxiv_empty_feed_is_not_found_and_error_feed_is_an_error(recorded, monkeypatch):
    monkeypatch.setattr("research.sources.http.time.sleep", lambda seconds: None)
    recorded.arxiv("0000.0000")
    with pytest.raises(NotFound):
        arxiv.fetch("0000.0000")
    recorded.arxiv("abc", "errors/arxiv-400-malformed-id.atom.xml", 400)
    with pytest.raises(SourceError, match="incorrect id format for abc"):
        arxiv.fetch("abc")
    with pytest.raises(SourceError, match="not XML"):
        arxiv.parse_feed(body("crossref/work-404-10.1371_notarealdoi.txt"))


def test_datacite_arxiv_doi_is_a_year_only_preprint(recorded):
    recorded.datacite("10.48550/arxiv.2311.16162")
    record = datacite.fetch("10.48550/arxiv.2311.16162")
    assert (record.date, record.date_precision) == (datetime.date(2023, 1, 1), "year")
    assert (record.pub_type, record.venue) == ("preprint", "arXiv")
    assert record.bib["eprint"] == "2311.16162"
    assert record.bib["primary_class"] == "cs.DL"
    assert record.authors[0] == "Hui Yin"


def test_datacite_software_and_404(recorded):
    recorded.datacite("10.5281/zenodo.48440")
    record = datacite.fetch("10.5281/zenodo.48440")
    assert (record.pub_type, record.entry_type) == ("other", "software")
    assert record.bib["publisher"] == "Zenodo"
    recorded.datacite_404("10.4124/none")
    with pytest.raises(NotFound):
        datacite.fetch("10.4124/none")


def test_doi_content_negotiation_bibtex_is_read_by_the_bibtex_parser():
    text = body("doi-negotiation/bibtex-10.1126_science.169.3946.635.bib").decode()
    record = negotiation.to_record(text, "10.1126/science.169.3946.635")
    assert record.authors == ["Henry S. Frank"]
    assert (record.date, record.date_precision) == (datetime.date(1970, 8, 1), "month")
    assert record.bib["pages"] == "635–641"
    assert record.source == "doi.org"


def test_an_unknown_doi_is_asked_of_each_agency_then_reported(recorded):
    recorded.crossref_404("10.1126/foo")
    recorded.datacite_404("10.1126/foo")
    recorded.doi_org_404("10.1126/foo")
    found = fetch_all(["doi:10.1126/foo"])
    assert isinstance(found["doi:10.1126/foo"], NotFound)
    assert [c.request.url.split("?")[0] for c in recorded.mock.calls] == [
        CROSSREF + "10.1126/foo", "https://api.datacite.org/dois/10.1126/foo",
        "https://doi.org/10.1126/foo",
    ]  # fmt: skip


def test_openalex_work_keeps_non_ascii_names_and_rebuilds_the_abstract():
    work = json.loads(body("openalex/work-by-doi-10.7554_elife.01567.json"))
    record = openalex.to_record(work)
    assert "Ioannis Xénarios" in record.authors
    assert record.abstract.startswith("Among various advantages, their small size")
    assert (record.openalex_id, record.doi) == ("W2121398592", "10.7554/elife.01567")
    assert record.bib["volume"] == "3"


def test_openalex_cyrillic_names_and_stub_without_title():
    works = json.loads(body("openalex/works-sample-5.json"))["results"]
    assert openalex.to_record(works[0]).authors == ["Беспалов Дмитрий Николаевич",
                                                    "Казаков Михаил Анатольевич"]  # fmt: skip
    with pytest.raises(SourceError, match="without title"):
        openalex.to_record(json.loads(body("openalex/work-W4234567890-stub-null-title.json")))


def test_orcid_checksum():
    assert orcid.normalise_orcid("0000-0002-9341-7985") == "0000-0002-9341-7985"
    assert orcid.normalise_orcid("https://orcid.org/0000-0002-1694-233x") == "0000-0002-1694-233X"
    assert orcid.normalise_orcid("0000-0002-9341-7986") == ""
    assert orcid.normalise_orcid("0000-0002-9341") == ""


def test_orcid_works_keep_those_without_doi(recorded):
    recorded.orcid_works("0000-0002-9341-7985", "orcid/works-0000-0002-9341-7985.json")
    works = orcid.works("0000-0002-9341-7985")
    assert works[0]["doi"] == "10.3233/isu-130714"
    assert (works[0]["date"], works[0]["precision"]) == (datetime.date(2013, 1, 1), "year")
    without = [w for w in works if "doi" not in w]
    assert [w["title"] for w in without][:1] == [
        "PLoS ONE: Background, future development, and article-level metrics"
    ]


def test_orcid_work_reads_its_bibtex_citation(recorded):
    recorded.orcid_work("0000-0002-0734-2199", "40038622",
                        "orcid/work-0000-0002-0734-2199-40038622.json")  # fmt: skip
    record = orcid.work("0000-0002-0734-2199", "40038622")
    assert record.authors[:2] == ["Sebastian Kreutzer", "Christoph Schmidt"]
    assert record.bib["pages"] == "1--8"
    assert record.date_precision == "year"


def test_orcid_404_is_not_found(recorded):
    recorded.add("https://pub.orcid.org/v3.0/adfafadf/works",
                 "errors/orcid-404-person-invalid-orcid.json", 404)  # fmt: skip
    with pytest.raises(NotFound):
        orcid.works("adfafadf")


def test_fetch_all_keeps_each_identifier_apart(recorded):
    recorded.crossref("10.1371/journal.pone.0033693")
    recorded.crossref_404()
    recorded.datacite_404("10.1371/notarealdoi")
    recorded.doi_org_404("10.1371/notarealdoi")
    recorded.arxiv("1605.08386")
    found = fetch_all(["doi:10.1371/journal.pone.0033693", "doi:10.1371/notarealdoi",
                       "arxiv:1605.08386"])  # fmt: skip
    assert found["doi:10.1371/journal.pone.0033693"].source == "crossref"
    assert isinstance(found["doi:10.1371/notarealdoi"], NotFound)
    assert found["arxiv:1605.08386"].bib["eprint"] == "1605.08386"


def test_fixtures_are_where_provenance_says():
    assert (FIXTURES / "PROVENANCE.md").is_file()
    assert ARXIV.startswith("https://export.arxiv.org/")
    assert requests.__version__ == "2.34.2"
