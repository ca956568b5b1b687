"""The one BibTeX code path: parse entries (bibtexparser v2) and write them back.

Used by the admin's BibTeX import, the `.bib` exports and the Hugo importer.
Parsing decodes LaTeX accents and `{...}` protection, resolves `@string` macros
(also `#` concatenations) and `crossref` inheritance, and reports every broken
entry with its line instead of failing the whole file.
"""

import datetime
import functools
import re
import unicodedata
from dataclasses import dataclass, field

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.middlewares import names

# BibTeX entry type -> our publication type (CSL names, as Hugo Blox uses).
ENTRY_TYPES = {
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "article": "article-journal",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "book": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "patent": "patent",
}
# Our type -> (BibTeX entry type, field that names the venue).
EXPORT_TYPES = {
    "paper-conference": ("inproceedings", "booktitle"),
    "workshop": ("inproceedings", "booktitle"),
    "article-journal": ("article", "journal"),
    "preprint": ("misc", "howpublished"),
    "report": ("techreport", "institution"),
    "book": ("book", "publisher"),
    "chapter": ("incollection", "booktitle"),
    "thesis": ("phdthesis", "school"),
    "patent": ("misc", "howpublished"),
    "other": ("misc", "howpublished"),
}
VENUE_FIELDS = ["booktitle", "journal", "school", "institution", "howpublished", "publisher"]
PREPRINT = re.compile(r"arxiv|corr\b|biorxiv|preprint|ssrn|openreview", re.I)
FORTHCOMING = re.compile(r"in press|forthcoming|to appear|accepted|submitted", re.I)
FULL_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december"]  # fmt: skip
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
LATEX_SPECIALS = re.compile(r"(?<!\\)([&%$#_])")
LATEX_MARKUP = re.compile(r"[\\{}~$^]")
LATEX_COMMANDS = re.compile(r"[\\~$^]")
UNESCAPE = re.compile(r"\\([_%&#$])")  # "a\_b" in a URL is "a_b"
DOI_PREFIX = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:)", re.I)
BARE_SPECIALS = re.compile(r"(?<!\\)([%&])")


class LatexDecoding(middlewares.LatexDecodingMiddleware):
    """bibtexparser's LaTeX decoder, skipping the (slow) decoder for plain values."""

    def _transform_python_value_string(self, python_string):
        if not LATEX_MARKUP.search(python_string):
            return python_string, ""
        if not LATEX_COMMANDS.search(python_string):  # only {protection}: drop the braces
            return python_string.replace("{", "").replace("}", ""), ""
        # A bare % starts a LaTeX comment ("50% better" -> "50") and a bare & is an
        # alignment tab that the decoder drops: BibTeX authors mean them literally.
        return super()._transform_python_value_string(BARE_SPECIALS.sub(r"\\\1", python_string))


# BibTeX field -> Publication field, for the bibliographic fields kept one to one.
BIB_FIELDS = {
    "volume": "volume",
    "number": "number",
    "pages": "pages",
    "publisher": "publisher",
    "organization": "organization",
    "institution": "institution",
    "school": "school",
    "address": "address",
    "editor": "editors",
    "edition": "edition",
    "series": "series",
    "chapter": "chapter",
    "isbn": "isbn",
    "issn": "issn",
    "eprint": "eprint",
    "archiveprefix": "archive_prefix",
    "primaryclass": "primary_class",
    "url": "url",
    "note": "note",
    "howpublished": "howpublished",
}
# Kept as written (no LaTeX decoding): identifiers, ranges and links.
VERBATIM_FIELDS = {"pages", "isbn", "issn", "eprint", "archiveprefix", "primaryclass", "url",
                   "doi", "volume", "number", "edition", "chapter"}  # fmt: skip
# Read into dedicated fields, or resolved (crossref): never kept as extras.
HANDLED_FIELDS = {"title", "author", "year", "month", "day", "doi", "abstract", "keywords",
                  "crossref", "journal", "booktitle"}  # fmt: skip
YEAR, MONTH, DAY, NONE = "year", "month", "day", "none"


@dataclass
class BibRecord:
    """One parsed entry, mapped onto Publication fields."""

    key: str
    line: int
    title: str
    date: datetime.date | None  # None: an undated work (precision NONE)
    pub_type: str
    venue: str
    authors: list
    raw: str
    doi: str = ""
    url: str = ""
    abstract: str = ""
    keywords: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    entry_type: str = ""  # as written: "article", "InProceedings", "dataset"
    date_precision: str = YEAR
    venue_field: str = ""  # "journal" or "booktitle": where the venue came from
    bib: dict = field(default_factory=dict)  # Publication field -> value (BIB_FIELDS)
    extra: dict = field(default_factory=dict)  # any other field, verbatim, in order


@dataclass
class BibError:
    line: int
    key: str
    message: str

    def __str__(self):
        where = f"line {self.line}" + (f", entry '{self.key}'" if self.key else "")
        return f"{where}: {self.message}"


def normalise_name(name):
    """Lower-case ASCII form for matching names: 'Peña, José' and 'jose pena' agree."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^a-z0-9 ]+", " ", text.lower())
    return " ".join(text.split())


def display_name(parts):
    """'First von Last, Jr' from bibtexparser NameParts, as printed on the site."""
    name = " ".join(parts.first + parts.von + parts.last)
    if parts.jr:
        name += ", " + " ".join(parts.jr)
    return name.replace("{", "").replace("}", "").strip()


def _field(entry, name):
    value = entry.fields_dict.get(name)
    return value.value if value is not None else None


def _resolve_concatenation(value, strings):
    """`neurips # " 2024"`: bibtexparser leaves concatenations alone; join the parts."""
    if not isinstance(value, str) or "#" not in value:
        return value
    parts = re.findall(r'"[^"]*"|\{[^{}]*\}|[^#\s]+', value)
    if not parts or any(p.startswith("\\") for p in parts):
        return value
    out = []
    for part in parts:
        if part[0] in '"{':
            out.append(part[1:-1])
        elif part.lower() in strings:
            out.append(strings[part.lower()])
        elif part.isdigit():
            out.append(part)
        else:
            return value
    return "".join(out)


def _clean(value):
    if value is None:
        return ""
    return " ".join(str(value).replace("{", "").replace("}", "").split())


def _pub_type(entry_type, venue, fields):
    entry_type = entry_type.lower()
    on_server = fields.get("eprint") or PREPRINT.search(fields.get("url", ""))
    if PREPRINT.search(venue) and entry_type in ("misc", "unpublished", "online", "article"):
        return "preprint"
    # An article in a journal stays a journal article though it also has an arXiv id.
    if on_server and (entry_type in ("misc", "unpublished", "online") or not venue):
        return "preprint"
    pub_type = ENTRY_TYPES.get(entry_type, "other")
    if pub_type == "paper-conference" and re.search(r"\bworkshops?\b", venue, re.I):
        return "workshop"
    return pub_type


def _month(value):
    """1-12 from 'jul', 'July', 'Jul.', '7'; None for anything else (a garbled month)."""
    text = _clean(value).lower().rstrip(".")
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 12 else None
    for number, full in enumerate(FULL_MONTHS, 1):
        if len(text) >= 3 and full.startswith(text):
            return number
    return None


def _date(fields, extra, warnings):
    """(date, precision) from year/month/day, or biblatex `date`; never invents a part.

    A month or day that cannot be read is kept verbatim (in `extra`) and not used.
    """
    year_text = _clean(fields.get("year"))
    biblatex = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", _clean(fields.get("date")))
    if not year_text and biblatex:
        year, month, day = (int(p) if p else None for p in biblatex.groups())
    else:
        match = re.fullmatch(r"\d{4}", year_text)
        if not match:
            if year_text:
                extra["year"] = fields["year"]
            return None, YEAR
        year, month, day = int(match.group()), None, None
        if fields.get("month") not in (None, ""):
            month = _month(fields["month"])
            if month is None:
                extra["month"] = fields["month"]
                warnings.append(
                    f"month '{_clean(fields['month'])}' not understood; kept as written"
                )
        if month and fields.get("day") not in (None, ""):
            day_text = _clean(fields["day"])
            day = int(day_text) if day_text.isdigit() else None
            if day is None:
                extra["day"] = fields["day"]
    if not 1 <= year <= 9999:
        return None, YEAR
    try:
        if month and day:
            return datetime.date(year, month, day), DAY
    except ValueError:
        extra["day"] = fields["day"]
    if month:
        return datetime.date(year, month, 1), MONTH
    return datetime.date(year, 1, 1), YEAR


def _decode(decoder, value):
    """LaTeX -> Unicode for one value (accents, escaped specials, `--`)."""
    if not isinstance(value, str):
        return value
    return _decode_cached(value) if len(value) < 300 else _decode_text(decoder or _DECODER, value)


def _decode_text(decoder, value):
    decoded, error = decoder._transform_python_value_string(value)
    return value if error else decoded


_DECODER = LatexDecoding()


@functools.lru_cache(maxsize=50_000)
def _decode_cached(value):
    """Names, venues and publishers repeat across a bibliography: decode each once
    (pylatexenc takes about 1 ms a value; 5,000 entries hold some 20,000 values)."""
    return _decode_text(_DECODER, value)


def _split_names(decoder, value):
    """Display names from a BibTeX name list ('Doe, Jane and others')."""
    out = []
    for raw in names.split_multiple_persons_names(value):
        try:
            parts = names.parse_single_name_into_parts(_decode(decoder, raw), strict=False)
        except names.InvalidNameError:
            parts = None
        name = display_name(parts) if parts is not None else _clean(_decode(decoder, raw))
        if name:
            out.append("et al." if name.lower() == "others" else name)
    return out


def parse_bibtex(text):
    """Parse BibTeX text; return (records, errors). Never raises on bad input."""
    library = bibtexparser.parse_string(text)  # resolves @string, strips {}/"" around values
    decoder = LatexDecoding()
    errors = []
    for block in library.failed_blocks:
        key = getattr(block, "key", "") or ""
        match = re.match(r"\s*@\w+\s*[{(]\s*([^,\s]+)", block.raw or "")
        if not key and match:
            key = match.group(1)
        if isinstance(block, bibtexparser.model.DuplicateBlockKeyBlock):
            message = f"duplicate key '{key}': only the first entry with it is used"
        else:
            message = "malformed entry (check braces, quotes and commas)"
        errors.append(BibError(block.start_line + 1, key, message))

    strings = {s.key.lower(): _clean(s.value) for s in library.strings}
    entries = {e.key.lower(): e for e in library.entries}
    records = []
    for entry in library.entries:
        if entry.entry_type.lower() in ("proceedings", "collection"):
            continue  # crossref targets, not publications of their own
        fields = {}
        parent = entries.get(str(_field(entry, "crossref") or "").lower())
        if parent is not None:
            # Inherited: what the entry lacks; the proceedings' title is its booktitle.
            for name, value in parent.fields_dict.items():
                if name.lower() not in ("title", "crossref", "key"):
                    fields[name] = _resolve_concatenation(value.value, strings)
            if "booktitle" not in {n.lower() for n in entry.fields_dict}:
                fields["booktitle"] = _field(parent, "booktitle") or _field(parent, "title") or ""
        for name, value in entry.fields_dict.items():
            fields[name] = _resolve_concatenation(value.value, strings)
        try:
            record = _to_record(entry, fields, decoder, errors)
        except Exception as exc:  # an input nobody foresaw must not stop the other entries
            errors.append(BibError(entry.start_line + 1, entry.key, f"cannot be read ({exc})"))
            continue
        if record is not None:
            records.append(record)
    return records, errors


def _to_record(entry, raw_fields, decoder, errors):
    line = entry.start_line + 1
    fields = {}  # lower-case name -> raw value; the first spelling wins
    spelled = {}
    for name, value in raw_fields.items():
        fields.setdefault(name.lower(), value)
        spelled.setdefault(name.lower(), name)
    title = _clean(_decode(decoder, fields.get("title")))
    if not title:
        errors.append(BibError(line, entry.key, "the entry has no title"))
        return None
    warnings, extra = [], {}
    date, precision = _date(fields, extra, warnings)
    if date is None and FORTHCOMING.search(_clean(fields.get("year"))):
        date, precision = datetime.date(datetime.date.today().year, 1, 1), YEAR
        warnings.append(f"year '{_clean(fields.get('year'))}' read as {date.year}")
    if date is None and not any(_clean(fields.get(f)) for f in ("year", "date")):
        precision = NONE  # an undated work: listed as "n.d.", exported without a year
    elif date is None:
        errors.append(BibError(line, entry.key, "the entry has no valid year"))
        return None
    written_type = re.match(r"\s*@\s*([\w-]+)", entry.raw or "")
    entry_type = written_type.group(1) if written_type else entry.entry_type  # as written
    venue_field = "journal" if entry_type.lower() == "article" else "booktitle"
    if venue_field not in fields:
        venue_field = "booktitle" if venue_field == "journal" else "journal"
    venue = _clean(_decode(decoder, fields.get(venue_field))) if venue_field in fields else ""
    if not venue:  # shown from the field that names it; exported only as that field
        venue_field = ""
        venue = next((_clean(_decode(decoder, fields[f])) for f in VENUE_FIELDS
                      if _clean(fields.get(f))), "")  # fmt: skip
    bib = {}
    for name, value in fields.items():
        if name in BIB_FIELDS:
            if name == "editor":
                bib["editors"] = " and ".join(_split_names(decoder, value))
            elif name in VERBATIM_FIELDS:
                bib[BIB_FIELDS[name]] = UNESCAPE.sub(r"\1", " ".join(str(value).split()))
            else:
                bib[BIB_FIELDS[name]] = _clean(_decode(decoder, value))
                if BARE_SPECIALS.search(str(value)):
                    extra[spelled[name]] = value  # "Taylor & Francis": exported as written
        elif name in ("journal", "booktitle") and name != venue_field:
            extra[spelled[name]] = value
        elif name not in HANDLED_FIELDS:
            extra[spelled[name]] = value
    authors = []
    raw_authors = fields.get("author") or ""
    if raw_authors:
        authors = _split_names(decoder, raw_authors)
    doi = _clean(fields.get("doi"))
    if DOI_PREFIX.match(doi):
        extra[spelled["doi"]] = fields["doi"]  # "doi:10.1/x" is exported as written
    doi = DOI_PREFIX.sub("", doi)
    keywords = _clean(_decode(decoder, fields.get("keywords")))
    keywords = [k.strip() for k in re.split(r"[,;]", keywords) if k.strip()]
    return BibRecord(
        key=entry.key,
        line=line,
        title=title,
        date=date,
        pub_type=_pub_type(entry_type, venue, {k: str(v) for k, v in fields.items()}),
        venue=venue,
        authors=authors,
        raw=entry.raw.strip(),
        doi=doi,
        url=bib.get("url", ""),
        abstract=_clean(_decode(decoder, fields.get("abstract"))),
        keywords=keywords,
        warnings=warnings,
        entry_type=entry_type,
        date_precision=precision,
        venue_field=venue_field,
        bib=bib,
        extra=extra,
    )


def __getattr__(name):
    """The writing side lives in research.bibtex_export; its names are reachable here too."""
    if name in ("entry_for", "bibtex_name", "publication_entry"):
        from research import bibtex_export

        return getattr(bibtex_export, name)
    raise AttributeError(name)
