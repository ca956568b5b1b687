"""Crossref REST API: one work by DOI (api.crossref.org/works/{doi}).

Crossref asks for a contact address (the "polite pool"): `mailto` goes with every
request when SOURCES_CONTACT_EMAIL is set.
"""

from django.conf import settings

import research.sources.records as records
from research.sources.http import Client, SourceError

API = "https://api.crossref.org/works/"
NAME = "Crossref"

# Crossref type -> (our type, BibTeX entry type, field that names the venue).
TYPES = {
    "journal-article": ("article-journal", "article", "journal"),
    "proceedings-article": ("paper-conference", "inproceedings", "booktitle"),
    "posted-content": ("preprint", "misc", ""),
    "book": ("book", "book", ""),
    "monograph": ("book", "book", ""),
    "edited-book": ("book", "book", ""),
    "book-chapter": ("chapter", "incollection", "booktitle"),
    "book-section": ("chapter", "incollection", "booktitle"),
    "report": ("report", "techreport", ""),
    "dissertation": ("thesis", "phdthesis", ""),
}
# Crossref relation -> ours (the other versions of the same work).
RELATIONS = {"has-preprint": "has-preprint", "is-preprint-of": "is-preprint-of",
             "has-version": "has-version", "is-version-of": "is-version-of"}  # fmt: skip

_client = None


def client():
    global _client
    if _client is None:
        _client = Client(NAME)
    return _client


def params():
    contact = settings.SOURCES_CONTACT_EMAIL
    return {"mailto": contact} if contact else None


def fetch(doi):
    data = client().get_json(API + doi, params=params())
    if not isinstance(data, dict) or data.get("status") != "ok":
        raise SourceError(NAME, "answered an unexpected document")
    message = data.get("message")
    if not isinstance(message, dict) or data.get("message-type") != "work":
        raise SourceError(NAME, "answered something that is not a work")
    return to_record(message, f"doi:{doi}")


def person_name(person):
    if person.get("family"):
        return " ".join(p for p in (person.get("given", ""), person["family"]) if p).strip()
    return (person.get("name") or "").strip()


def _first(values):
    return records.clean_text(values[0]) if values else ""


def to_record(work, identifier=""):
    """A SourceRecord from a Crossref work (what its `message` holds)."""
    try:
        doi = records.normalise_doi(work["DOI"])
        title = _first(work.get("title"))
        if not doi or not title:
            raise SourceError(NAME, "a work without DOI or title")
        subtitle = _first(work.get("subtitle"))
        if subtitle and subtitle.lower() not in title.lower():
            title = f"{title}: {subtitle}"
        pub_type, entry_type, venue_field = TYPES.get(work.get("type"), ("other", "misc", ""))
        authors = [n for n in (person_name(a) for a in work.get("author", [])) if n]
        editors = [n for n in (person_name(a) for a in work.get("editor", [])) if n]
        issued = (work.get("issued") or {}).get("date-parts") or [[]]
        date, precision = records.date_of(issued[0])
        venue = _first(work.get("container-title"))
        if pub_type == "preprint" and not venue:
            venue = " ".join(i.get("name", "") for i in work.get("institution", [])[:1])
        relations = {}
        for kind, ours in RELATIONS.items():
            for item in (work.get("relation") or {}).get(kind, []):
                if item.get("id-type") == "doi":
                    relations.setdefault(ours, []).append("doi:" + item["id"].lower())
                elif item.get("id-type") == "arxiv":
                    relations.setdefault(ours, []).append("arxiv:" + item["id"])
        isbn = ", ".join(work.get("ISBN", []))
        bib = {
            "volume": work.get("volume", ""),
            "number": work.get("issue", ""),
            "pages": (work.get("page") or "").replace("-", "--"),
            "publisher": work.get("publisher", ""),
            "issn": ", ".join(work.get("ISSN", [])),
            "isbn": isbn,
            "editors": " and ".join(editors),
            "edition": str(work.get("edition-number", "")),
            "series": _first(work.get("collection-title")) if work.get("collection-title") else "",
            "url": ((work.get("resource") or {}).get("primary") or {}).get("URL", ""),
        }
        if pub_type == "preprint":
            bib["howpublished"] = venue
        return records.record(
            "crossref", identifier or f"doi:{doi}", title=title, authors=authors, date=date,
            precision=precision, pub_type=pub_type, entry_type=entry_type, venue=venue,
            venue_field=venue_field, doi=doi, abstract=records.clean_text(work.get("abstract")),
            bib=bib, venue_short=_first(work.get("short-container-title"))[:60],
            relations=relations, cited_by=work.get("is-referenced-by-count"),
            extra={"language": work.get("language", "")},
        )  # fmt: skip
    except (KeyError, TypeError, AttributeError, ValueError, IndexError) as exc:
        raise SourceError(NAME, f"answered a work this site cannot read ({exc!r})") from exc
