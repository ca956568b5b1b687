"""OpenAlex API: a work by DOI or id, and an author's works (api.openalex.org).

Sends `mailto` (SOURCES_CONTACT_EMAIL) and `api_key` (OPENALEX_API_KEY) when set.
Used for works that have no DOI (OpenAlex knows them by title), and for the
locations that join a preprint to its published version.
"""

import re

from django.conf import settings

import research.sources.records as records
from research.sources.http import Client, SourceError

API = "https://api.openalex.org/"
NAME = "OpenAlex"
AUTHOR_ID = re.compile(r"^(?:https?://openalex\.org/)?(A\d{4,12})$", re.I)
ARXIV_LOCATION = re.compile(r"arxiv\.org/(?:abs|pdf)/([^\s?#]+?)(?:v\d+)?(?:\.pdf)?$", re.I)
TYPES = {
    "article": ("article-journal", "article", "journal"),
    "preprint": ("preprint", "misc", ""),
    "book": ("book", "book", ""),
    "book-chapter": ("chapter", "incollection", "booktitle"),
    "report": ("report", "techreport", ""),
    "dissertation": ("thesis", "phdthesis", ""),
    "dataset": ("other", "dataset", ""),
}
PAGE_SIZE = 200
MAX_PAGES = 10

_client = None


def client():
    global _client
    if _client is None:
        _client = Client(NAME)
    return _client


def params(**more):
    values = dict(more)
    if settings.SOURCES_CONTACT_EMAIL:
        values["mailto"] = settings.SOURCES_CONTACT_EMAIL
    if settings.OPENALEX_API_KEY:
        values["api_key"] = settings.OPENALEX_API_KEY
    return values or None


def normalise_author_id(value):
    match = AUTHOR_ID.match((value or "").strip())
    return match.group(1).upper() if match else ""


def fetch(doi):
    return to_record(client().get_json(f"{API}works/https://doi.org/{doi}", params=params()))


def author_works(author_id):
    """Every work of an OpenAlex author, a cursor page at a time."""
    cursor, result = "*", []
    for _page in range(MAX_PAGES):
        data = client().get_json(f"{API}works", params=params(
            filter=f"author.id:{author_id}", **{"per-page": PAGE_SIZE}, cursor=cursor))  # fmt: skip
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            raise SourceError(NAME, "answered a list without results")
        for work in data["results"]:
            try:
                result.append(to_record(work))
            except SourceError:
                continue  # a stub without title (paratext): nothing to propose
        cursor = (data.get("meta") or {}).get("next_cursor")
        if not cursor or len(data["results"]) < PAGE_SIZE:  # the last page
            break
    return result


def abstract(inverted):
    """The abstract from OpenAlex's inverted index ({word: [positions]})."""
    if not inverted:
        return ""
    words = sorted((pos, word) for word, positions in inverted.items() for pos in positions)
    return " ".join(word for _pos, word in words)


def arxiv_of(work):
    for location in work.get("locations") or []:
        for url in (location.get("landing_page_url"), location.get("pdf_url")):
            match = ARXIV_LOCATION.search(url or "")
            if match:
                return match.group(1)
    return ""


def to_record(work, identifier=""):
    if not isinstance(work, dict):
        raise SourceError(NAME, "answered something that is not a work")
    try:
        title = records.clean_text(work.get("title") or work.get("display_name"))
        openalex_id = (work.get("id") or "").rsplit("/", 1)[-1]
        if not title or not openalex_id:
            raise SourceError(NAME, "a work without title")
        doi = records.normalise_doi(work.get("doi") or "")
        pub_type, entry_type, venue_field = TYPES.get(work.get("type"), ("other", "misc", ""))
        primary = work.get("primary_location") or {}
        source = primary.get("source") or {}
        if pub_type == "article-journal" and source.get("type") == "conference":
            pub_type, entry_type, venue_field = "paper-conference", "inproceedings", "booktitle"
        authors = [(a.get("author") or {}).get("display_name") or a.get("raw_author_name") or ""
                   for a in work.get("authorships") or []]  # fmt: skip
        authors = [a for a in authors if a]
        if work.get("publication_date"):
            date, precision = records.date_from_iso(work["publication_date"])
        else:
            date, precision = records.date_of([work.get("publication_year")])
        biblio = work.get("biblio") or {}
        first, last = biblio.get("first_page") or "", biblio.get("last_page") or ""
        pages = f"{first}--{last}" if first and last and first != last else first
        bib = {"volume": biblio.get("volume") or "", "number": biblio.get("issue") or "",
               "pages": pages, "issn": ", ".join(source.get("issn") or []),
               "url": primary.get("landing_page_url") or ""}  # fmt: skip
        arxiv = arxiv_of(work)
        relations = {}
        if arxiv and pub_type == "preprint":
            bib.update(records.arxiv_bib(arxiv))
        elif arxiv:
            relations["has-preprint"] = [f"arxiv:{arxiv}"]
        pdf = primary.get("pdf_url") or ""
        result = records.record(
            "openalex", identifier or (f"doi:{doi}" if doi else f"openalex:{openalex_id}"),
            title=title, authors=authors, date=date, precision=precision, pub_type=pub_type,
            entry_type=entry_type, venue=records.clean_text(source.get("display_name")),
            venue_field=venue_field, doi=doi,
            abstract=abstract(work.get("abstract_inverted_index")), bib=bib,
            openalex_id=openalex_id, relations=relations, cited_by=work.get("cited_by_count"),
        )  # fmt: skip
        result.url = pdf if pdf.lower().split("?")[0].endswith(".pdf") else ""
        return result
    except (KeyError, TypeError, AttributeError, ValueError, IndexError) as exc:
        raise SourceError(NAME, f"answered a work this site cannot read ({exc!r})") from exc
