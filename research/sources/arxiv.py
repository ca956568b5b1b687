"""arXiv API (export.arxiv.org/api/query): entries by id, many ids in one request.

arXiv asks for no more than one request every three seconds: the client waits
its turn (`min_interval`), and the ids of one paste go in one request.
An arXiv entry is the preprint; its `arxiv:doi` and `arxiv:journal_ref` name the
published version, kept as a relation (the published record comes from its DOI).
"""

import re
import xml.etree.ElementTree as ET  # noqa: S405 - expat refuses entity expansion bombs

import research.sources.records as records
from research.sources.http import Client, NotFound, SourceError

API = "https://export.arxiv.org/api/query"
NAME = "arXiv"
NS = {"a": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom",
      "os": "http://a9.com/-/spec/opensearch/1.1/"}  # fmt: skip
MIN_INTERVAL = 3.0
BATCH = 50

_client = None


def client():
    global _client
    if _client is None:
        _client = Client(NAME, min_interval=MIN_INTERVAL)
    return _client


def fetch_many(arxiv_ids):
    """{id: SourceRecord or SourceError} for each asked id (missing ones: NotFound)."""
    found = {}
    for start in range(0, len(arxiv_ids), BATCH):
        batch = arxiv_ids[start : start + BATCH]
        text = client().get_text(API, params={
            "search_query": "", "id_list": ",".join(batch), "sortBy": "relevance",
            "sortOrder": "descending", "start": 0, "max_results": 100,
        }, not_found=(), allow=(400,))  # fmt: skip  # a 400 is a feed naming the error
        for record in parse_feed(text):
            found[record.bib["eprint"]] = record
    return {i: found.get(i) or NotFound(NAME, f"arXiv has no paper {i}") for i in arxiv_ids}


def fetch(arxiv_id):
    result = fetch_many([arxiv_id])[arxiv_id]
    if isinstance(result, SourceError):
        raise result
    return result


def _text(element, path):
    found = element.find(path, NS)
    return " ".join((found.text or "").split()) if found is not None else ""


def parse_feed(text):
    """SourceRecords of an Atom feed; an error entry or a broken feed raises SourceError."""
    try:
        feed = ET.fromstring(text.encode() if isinstance(text, str) else text)  # noqa: S314
    except ET.ParseError as exc:
        raise SourceError(NAME, f"answered a feed that is not XML ({exc})") from exc
    if feed.tag != f"{{{NS['a']}}}feed":
        raise SourceError(NAME, "answered something that is not an Atom feed")
    result = []
    for entry in feed.findall("a:entry", NS):
        entry_id = _text(entry, "a:id")
        if "/api/errors" in entry_id:
            raise SourceError(NAME, _text(entry, "a:summary") or "error", 400)
        result.append(to_record(entry))
    return result


def to_record(entry):
    match = re.search(r"arxiv\.org/abs/(.+?)(v\d+)?$", _text(entry, "a:id"))
    title = _text(entry, "a:title")
    if not match or not title:
        raise SourceError(NAME, "an entry without id or title")
    arxiv_id = match.group(1)
    authors = [_text(a, "a:name") for a in entry.findall("a:author", NS)]
    date, precision = records.date_from_iso(_text(entry, "a:published"))
    primary = entry.find("arxiv:primary_category", NS)
    pdf = next((link.get("href", "") for link in entry.findall("a:link", NS)
                if link.get("title") == "pdf"), "")  # fmt: skip
    doi = records.normalise_doi(_text(entry, "arxiv:doi"))
    journal_ref = _text(entry, "arxiv:journal_ref")
    relations = {"is-preprint-of": [f"doi:{doi}"]} if doi else {}
    bib = {**records.arxiv_bib(arxiv_id, primary.get("term", "") if primary is not None else ""),
           "howpublished": "arXiv", "url": f"https://arxiv.org/abs/{arxiv_id}"}  # fmt: skip
    result = records.record(
        "arxiv", f"arxiv:{arxiv_id}", title=title, authors=authors, date=date,
        precision=precision, pub_type="preprint", entry_type="misc", venue="arXiv",
        abstract=_text(entry, "a:summary"), bib=bib, relations=relations,
        extra={"journal_ref": journal_ref, "comment": _text(entry, "arxiv:comment")},
    )  # fmt: skip
    result.url = pdf.replace("http://", "https://") if pdf else ""
    if result.url and not result.url.endswith(".pdf"):
        result.url += ".pdf"  # the importer keeps `url` as the PDF link only for a .pdf
    return result
