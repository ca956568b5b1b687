"""DataCite REST API: one DOI (api.datacite.org/dois/{doi}): datasets, software,
arXiv's own DOIs (10.48550/arXiv.*), Zenodo."""

import research.sources.records as records
from research.sources.http import Client, SourceError

API = "https://api.datacite.org/dois/"
NAME = "DataCite"

TYPES = {
    "JournalArticle": ("article-journal", "article", "journal"),
    "ConferencePaper": ("paper-conference", "inproceedings", "booktitle"),
    "Preprint": ("preprint", "misc", ""),
    "Book": ("book", "book", ""),
    "BookChapter": ("chapter", "incollection", "booktitle"),
    "Report": ("report", "techreport", ""),
    "Dissertation": ("thesis", "phdthesis", ""),
    "Dataset": ("other", "dataset", ""),
    "Software": ("other", "software", ""),
}
RELATIONS = {"HasPreprint": "has-preprint", "IsPreprintOf": "is-preprint-of",
             "HasVersion": "has-version", "IsVersionOf": "is-version-of",
             "IsIdenticalTo": "is-version-of"}  # fmt: skip

_client = None


def client():
    global _client
    if _client is None:
        _client = Client(NAME)
    return _client


def fetch(doi):
    data = client().get_json(API + doi, params={"include": "media,client"})
    try:
        attributes = data["data"]["attributes"]
    except (KeyError, TypeError) as exc:
        raise SourceError(NAME, "answered something that is not a DOI record") from exc
    return to_record(attributes, f"doi:{doi}")


def person_name(creator):
    if creator.get("familyName"):
        return " ".join(p for p in (creator.get("givenName", ""), creator["familyName"]) if p)
    name = (creator.get("name") or "").strip()
    if creator.get("nameType") == "Personal" and "," in name:
        last, _sep, first = name.partition(",")
        name = f"{first.strip()} {last.strip()}"
    return name


def _date(attributes):
    for wanted in ("Issued", "Available", "Created", "Submitted"):
        for item in attributes.get("dates") or []:
            if item.get("dateType") == wanted and item.get("date"):
                return records.date_from_iso(item["date"])
    year = attributes.get("publicationYear")
    return records.date_of([year]) if year else (None, "none")


def to_record(attributes, identifier=""):
    try:
        doi = records.normalise_doi(attributes["doi"])
        titles = [
            t.get("title", "") for t in attributes.get("titles") or [] if not t.get("titleType")
        ]
        title = records.clean_text(titles[0] if titles else "")
        if not doi or not title:
            raise SourceError(NAME, "a record without DOI or title")
        kind = (attributes.get("types") or {}).get("resourceTypeGeneral", "")
        pub_type, entry_type, venue_field = TYPES.get(kind, ("other", "misc", ""))
        authors = [n for n in (person_name(c) for c in attributes.get("creators") or []) if n]
        date, precision = _date(attributes)
        publisher = attributes.get("publisher") or ""
        if isinstance(publisher, dict):
            publisher = publisher.get("name", "")
        container = (attributes.get("container") or {}).get("title", "")
        abstract = next((d.get("description", "") for d in attributes.get("descriptions") or []
                         if d.get("descriptionType") == "Abstract"), "")  # fmt: skip
        bib = {"publisher": publisher, "url": attributes.get("url") or ""}
        arxiv = next((i["identifier"] for i in attributes.get("identifiers") or []
                      if i.get("identifierType") == "arXiv"), "")  # fmt: skip
        if arxiv:
            subjects = [s.get("subject", "") for s in attributes.get("subjects") or []
                        if s.get("subjectScheme") == "arXiv"]  # fmt: skip
            primary = subjects[0].rsplit("(", 1)[-1].rstrip(")") if subjects else ""
            bib.update(records.arxiv_bib(arxiv, primary))
        venue = container or (publisher if pub_type == "preprint" else "")
        if pub_type == "preprint":
            bib["howpublished"] = venue
        relations = {}
        for item in attributes.get("relatedIdentifiers") or []:
            ours = RELATIONS.get(item.get("relationType"))
            if ours and item.get("relatedIdentifierType") in ("DOI", "arXiv"):
                value = item.get("relatedIdentifier", "")
                prefix = "doi:" if item["relatedIdentifierType"] == "DOI" else "arxiv:"
                value = records.normalise_doi(value) if prefix == "doi:" else value
                if value:
                    relations.setdefault(ours, []).append(prefix + value)
        return records.record(
            "datacite", identifier or f"doi:{doi}", title=title, authors=authors, date=date,
            precision=precision, pub_type=pub_type, entry_type=entry_type, venue=venue,
            venue_field=venue_field, doi=doi, abstract=records.clean_text(abstract), bib=bib,
            relations=relations, extra={"version": attributes.get("version") or ""},
        )  # fmt: skip
    except (KeyError, TypeError, AttributeError, ValueError, IndexError) as exc:
        raise SourceError(NAME, f"answered a record this site cannot read ({exc!r})") from exc
