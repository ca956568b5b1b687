"""ORCID public API (pub.orcid.org/v3.0): a person's works, and one work in full.

The works list gives, per work, its title, type, date, journal and identifiers
(DOI, arXiv) but not its authors: a work with a DOI is read from Crossref or
DataCite, one without is read in full here (its BibTeX citation or contributors).
"""

import research.sources.records as records
from people.models import normalise_orcid, validate_orcid  # noqa: F401 - re-exported
from research.bibtex import parse_bibtex
from research.sources.http import Client, SourceError

API = "https://pub.orcid.org/v3.0/"
NAME = "ORCID"
ACCEPT = {"Accept": "application/json"}
TYPES = {
    "journal-article": ("article-journal", "article", "journal"),
    "conference-paper": ("paper-conference", "inproceedings", "booktitle"),
    "preprint": ("preprint", "misc", ""),
    "book": ("book", "book", ""),
    "book-chapter": ("chapter", "incollection", "booktitle"),
    "report": ("report", "techreport", ""),
    "dissertation-thesis": ("thesis", "phdthesis", ""),
    "dissertation": ("thesis", "phdthesis", ""),
}

_client = None


def client():
    global _client
    if _client is None:
        _client = Client(NAME)
    return _client


def _value(node, *path):
    for name in path:
        if not isinstance(node, dict):
            return ""
        node = node.get(name)
    return node if isinstance(node, str) else ""


def _ids(node):
    ids = {}
    for item in ((node or {}).get("external-ids") or {}).get("external-id") or []:
        if item.get("external-id-relationship", "self") != "self":
            continue
        kind, value = item.get("external-id-type"), item.get("external-id-value") or ""
        if kind == "doi" and records.normalise_doi(value):
            ids.setdefault("doi", records.normalise_doi(value))
        elif kind == "arxiv":
            try:
                ids.setdefault("arxiv", records.parse_identifier(value).removeprefix("arxiv:"))
            except records.IdentifierError:
                continue
    return ids


def _date(node):
    date = node.get("publication-date") or {}
    return records.date_of([_value(date, p, "value") for p in ("year", "month", "day")])


def works(orcid):
    """The work summaries of an iD: one per ORCID group (the first, preferred summary)."""
    data = client().get_json(f"{API}{orcid}/works", headers=ACCEPT)
    if not isinstance(data, dict) or not isinstance(data.get("group"), list):
        raise SourceError(NAME, "answered a works list without groups")
    result = []
    for group in data["group"]:
        try:
            summary = group["work-summary"][0]
            title = records.clean_text(_value(summary, "title", "title", "value"))
            if not title:
                continue
            date, precision = _date(summary)
            result.append({
                "put_code": str(summary["put-code"]), "title": title,
                "type": summary.get("type") or "", "date": date, "precision": precision,
                "journal": _value(summary, "journal-title", "value"),
                "url": _value(summary, "url", "value"), **_ids(group), **_ids(summary),
            })  # fmt: skip
        except (KeyError, IndexError, TypeError, AttributeError) as exc:
            message = f"answered a work summary this site cannot read ({exc!r})"
            raise SourceError(NAME, message) from exc
    return result


def summary_record(summary, owner_name):
    """A record from a works-list summary alone (no source has more)."""
    pub_type, entry_type, venue_field = TYPES.get(summary["type"], ("other", "misc", ""))
    bib = records.arxiv_bib(summary["arxiv"]) if summary.get("arxiv") else {}
    url = summary.get("url", "")
    bib["url"] = "" if url.lower().endswith(".pdf") else url
    result = records.record(
        "orcid", f"orcid:{summary['put_code']}", title=summary["title"],
        authors=[owner_name] if owner_name else [], date=summary["date"],
        precision=summary["precision"], pub_type=pub_type, entry_type=entry_type,
        venue=summary.get("journal", ""), venue_field=venue_field,
        doi=summary.get("doi", ""), bib=bib,
    )  # fmt: skip
    result.url = url if url.lower().endswith(".pdf") else ""
    return result


def work(orcid, put_code, owner_name=""):
    """One work in full; without authors in it, the iD's owner is its only known author."""
    data = client().get_json(f"{API}{orcid}/work/{put_code}", headers=ACCEPT)
    if not isinstance(data, dict) or not data.get("title"):
        raise SourceError(NAME, "answered a work without title")
    return to_record(data, owner_name)


def to_record(data, owner_name=""):
    try:
        title = records.clean_text(_value(data, "title", "title", "value"))
        citation = data.get("citation") or {}
        parsed = None
        if citation.get("citation-type") == "bibtex" and citation.get("citation-value"):
            found, _errors = parse_bibtex(citation["citation-value"])
            parsed = found[0] if found else None
        contributors = [
            _value(c, "credit-name", "value")
            for c in (data.get("contributors") or {}).get("contributor") or []
        ]
        authors = (parsed.authors if parsed else []) or [c for c in contributors if c]
        authors = authors or ([owner_name] if owner_name else [])
        date, precision = _date(data)
        if date is None and parsed is not None:
            date, precision = parsed.date, parsed.date_precision
        pub_type, entry_type, venue_field = TYPES.get(data.get("type"), ("other", "misc", ""))
        ids = _ids(data)
        bib = dict(parsed.bib) if parsed else {}
        if ids.get("arxiv"):
            bib.update(records.arxiv_bib(ids["arxiv"]))
        url = _value(data, "url", "value")
        bib.setdefault("url", url if not url.lower().endswith(".pdf") else "")
        result = records.record(
            "orcid", f"orcid:{data.get('put-code')}", title=title or (parsed and parsed.title),
            authors=authors, date=date, precision=precision, pub_type=pub_type,
            entry_type=(parsed.entry_type if parsed else entry_type),
            venue=_value(data, "journal-title", "value") or (parsed.venue if parsed else ""),
            venue_field=(parsed.venue_field if parsed else venue_field), doi=ids.get("doi", ""),
            abstract=records.clean_text(data.get("short-description")), bib=bib,
        )  # fmt: skip
        result.url = url if url.lower().endswith(".pdf") else ""
        return result
    except (KeyError, TypeError, AttributeError, ValueError, IndexError) as exc:
        raise SourceError(NAME, f"answered a work this site cannot read ({exc!r})") from exc
