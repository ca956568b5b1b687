"""What every source's mapping produces: a `SourceRecord`, a BibRecord with its origin.

A SourceRecord goes through the same plan/apply path as a parsed BibTeX entry
(research.bibtex_import), so author matching and duplicate rules are the same.
Identifiers are parsed here: DOIs, arXiv ids and their URLs.
"""

import datetime
import html
import re
from dataclasses import asdict, dataclass, field

from django.utils.html import strip_tags
from django.utils.text import slugify

from research.bibtex import DAY, MONTH, NONE, YEAR, BibRecord, normalise_name

DOI = re.compile(r"\b(10\.\d{4,9}/\S+)", re.I)
DOI_URL = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
ARXIV_NEW = re.compile(r"^(?:arxiv:\s*)?(\d{4}\.\d{4,5})(v\d+)?$", re.I)
ARXIV_OLD = re.compile(r"^(?:arxiv:\s*)?([a-z][a-z.-]+/\d{7})(v\d+)?$", re.I)
ARXIV_URL = re.compile(
    r"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/(.+?)(?:\.pdf)?/?$", re.I
)
ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.I)


class IdentifierError(ValueError):
    pass


@dataclass
class SourceRecord(BibRecord):
    source: str = ""  # "crossref", "datacite", "arxiv", "openalex", "orcid", "doi.org"
    identifier: str = ""  # what was asked for: "doi:10...", "arxiv:2104.12255"
    venue_short: str = ""
    openalex_id: str = ""
    # Other versions of this work: {"has-preprint": ["arxiv:..."], "is-preprint-of": ["doi:..."]}
    relations: dict = field(default_factory=dict)
    cited_by: int | None = None

    @property
    def arxiv(self):
        return self.bib.get("eprint", "") if self.bib.get("archive_prefix") == "arXiv" else ""

    def to_json(self):
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        return data

    @classmethod
    def from_json(cls, data):
        data = dict(data)
        data["date"] = datetime.date.fromisoformat(data["date"]) if data.get("date") else None
        return cls(**data)


def parse_identifier(text):
    """'doi:10.x/y' or 'arxiv:2104.12255' from a DOI, an arXiv id or one of their URLs."""
    value = text.strip().rstrip(".,;")
    if not value:
        raise IdentifierError("empty")
    match = ARXIV_URL.match(value)
    if match:
        value = match.group(1)
    for pattern in (ARXIV_NEW, ARXIV_OLD):
        match = pattern.match(value)
        if match:
            return f"arxiv:{match.group(1).lower()}"
    doi = normalise_doi(value)
    if doi:
        return f"doi:{doi}"
    raise IdentifierError(f"'{text.strip()[:80]}' is neither a DOI nor an arXiv id")


def parse_identifiers(text):
    """[(line text, identifier or None, error)] for each non-empty line or comma item."""
    items = [part for line in text.splitlines() for part in re.split(r"[\s,]+", line) if part]
    result, seen = [], set()
    for item in items:
        try:
            identifier = parse_identifier(item)
        except IdentifierError as exc:
            result.append((item, None, str(exc)))
            continue
        if identifier in seen:
            continue
        seen.add(identifier)
        result.append((item, identifier, ""))
    return result


def normalise_doi(value):
    """The bare, lower-case DOI of '10.X/Y', 'doi:10.X/Y' or 'https://doi.org/10.X/Y'."""
    value = DOI_URL.sub("", (value or "").strip())
    if not re.match(r"^10\.\d{4,9}/\S+$", value):
        return ""
    return value.lower()


def clean_text(value):
    """Plain text from JATS/HTML markup and runs of whitespace ('<i>E. coli</i>')."""
    if not value:
        return ""
    return " ".join(html.unescape(strip_tags(str(value))).split())


def date_of(parts):
    """(date, precision) from [year, month, day] of any length; (None, NONE) when empty."""
    parts = [int(p) for p in (parts or []) if p not in (None, "")]
    if not parts:
        return None, NONE
    try:
        if len(parts) == 1:
            return datetime.date(parts[0], 1, 1), YEAR
        if len(parts) == 2:
            return datetime.date(parts[0], parts[1], 1), MONTH
        return datetime.date(parts[0], parts[1], parts[2]), DAY
    except ValueError:
        return datetime.date(parts[0], 1, 1), YEAR


def date_from_iso(value):
    """(date, precision) from '2023', '2023-11' or '2023-11-09T11:44:22Z'."""
    match = re.match(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", str(value or ""))
    return date_of(match.groups()) if match else (None, NONE)


def records_key(title, date):
    """Normalised title with the year: how works without an identifier are matched."""
    return (normalise_name(title), date.year if date else None)


def make_key(authors, date, title):
    """A BibTeX-style key: 'sadasivan2012methylphenidate'."""
    last = normalise_name(authors[0]).split()[-1:] if authors else []
    words = [w for w in normalise_name(title).split() if len(w) > 3] or ["untitled"]
    year = str(date.year) if date else "nd"
    return slugify("".join([*last, year, words[0]]))[:100] or "publication"


def record(source, identifier, *, title, authors, date, precision, pub_type, entry_type,
           venue="", venue_field="", doi="", abstract="", url="", bib=None, extra=None,
           **more):  # fmt: skip
    """A SourceRecord with the key made from authors, year and title."""
    bib = {name: value for name, value in (bib or {}).items() if value}
    return SourceRecord(
        key=make_key(authors, date, title), line=0, title=title, date=date, pub_type=pub_type,
        venue=venue, authors=authors, raw="", doi=doi, url=url, abstract=abstract,
        entry_type=entry_type, date_precision=precision, venue_field=venue_field, bib=bib,
        extra={k: v for k, v in (extra or {}).items() if v}, source=source,
        identifier=identifier, **more,
    )  # fmt: skip


def arxiv_bib(arxiv_id, primary_class=""):
    return {"eprint": arxiv_id, "archive_prefix": "arXiv", "primary_class": primary_class}
