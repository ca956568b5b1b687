"""The one BibTeX code path: parse entries (bibtexparser v2) and write them back.

Used by the admin's BibTeX import, the `.bib` exports and the Hugo importer.
Parsing decodes LaTeX accents and `{...}` protection, resolves `@string` macros
(also `#` concatenations) and `crossref` inheritance, and reports every broken
entry with its line instead of failing the whole file.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.middlewares import names
from bibtexparser.model import Entry, Field

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
UNESCAPE = re.compile(r"\\([_%&#$])")  # "a\_b" in a URL is "a_b"
DOI_PREFIX = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:)", re.I)
BARE_SPECIALS = re.compile(r"(?<!\\)([%&])")


class LatexDecoding(middlewares.LatexDecodingMiddleware):
    """bibtexparser's LaTeX decoder, skipping the (slow) decoder for plain values."""

    def _transform_python_value_string(self, python_string):
        if not LATEX_MARKUP.search(python_string):
            return python_string, ""
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
YEAR, MONTH, DAY = "year", "month", "day"


@dataclass
class BibRecord:
    """One parsed entry, mapped onto Publication fields."""

    key: str
    line: int
    title: str
    date: datetime.date
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
    if entry_type in ("misc", "unpublished", "online", "article") and (
        PREPRINT.search(venue) or fields.get("eprint") or PREPRINT.search(fields.get("url", ""))
    ):
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
    decoded, error = decoder._transform_python_value_string(value)
    return value if error else decoded


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
    if date is None:
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


def _latex(value):
    """Escape the characters that break LaTeX; accents stay UTF-8 (biber/bibtex8 read it).

    `$...$` spans are math and stay as written; a lone `$` is a dollar sign.
    """
    parts = re.split(r"(\$[^$]+\$)", value) if value.count("$") % 2 == 0 else [value]
    return "".join(
        part if part.startswith("$") and part.endswith("$") and len(part) > 1
        else LATEX_SPECIALS.sub(r"\\\1", part)
        for part in parts
    )  # fmt: skip


def bibtex_name(name):
    """'Jane van Doe' -> 'van Doe, Jane' (a safe BibTeX author form)."""
    if name == "et al.":
        return "others"
    if "," in name:
        return name
    words = name.split()
    if len(words) < 2:
        return name
    split = len(words) - 1
    while split > 1 and words[split - 1][:1].islower():
        split -= 1  # keep particles ('van', 'de') with the last name
    return f"{' '.join(words[split:])}, {' '.join(words[:split])}"


def entry_for(
    key,
    pub_type,
    title,
    date,
    venue,
    authors,
    doi="",
    url="",
    abstract="",
    tags=(),
    *,
    entry_type="",
    venue_field="",
    precision=MONTH,
    bib=None,
    extra=None,
):
    """Write one BibTeX entry from structured publication fields.

    `entry_type` and `venue_field` as imported win over what `pub_type` implies;
    `bib` holds the bibliographic fields by BibTeX name, `extra` any other field
    verbatim; the date gives only the parts `precision` says are known.
    """
    default_type, default_venue = EXPORT_TYPES.get(pub_type, ("misc", "howpublished"))
    if entry_type and not venue_field:
        venue = ""  # imported: the venue shown is a copy of school, publisher, ...
    entry_type = entry_type or default_type
    if not venue_field:
        venue_field = "journal" if entry_type.lower() == "article" else (
            "booktitle" if entry_type.lower() in ("inproceedings", "incollection", "conference")
            else default_venue)  # fmt: skip
    bib, extra = dict(bib or {}), dict(extra or {})
    values = [
        ("title", _latex(title)),
        ("author", " and ".join(bibtex_name(a) for a in authors)),
        (
            "editor",
            " and ".join(bibtex_name(a) for a in bib.pop("editor", "").split(" and ") if a),
        ),  # fmt: skip
    ]
    if venue and venue_field not in bib:
        values.append((venue_field, _latex(venue)))
    if not {"year", "date"} & {name.lower() for name in extra}:
        values.append(("year", str(date.year)))
        if precision in (MONTH, DAY) and "month" not in extra:
            values.append(("month", MONTHS[date.month - 1]))
        if precision == DAY and "day" not in extra:
            values.append(("day", str(date.day)))
    for name, value in bib.items():
        values.append((name, value if name in VERBATIM_FIELDS else _latex(value)))
    values += [("doi", doi), ("url", url) if "url" not in bib else ("url", ""),
               ("abstract", _latex(abstract)), ("keywords", _latex(", ".join(tags)))]  # fmt: skip
    # The writer encloses every value in braces; the title gets a second pair so
    # styles keep its capitalisation ("BERT", "GANs").
    written = {name.lower(): value for name, value in extra.items()}
    values = [
        (name, written.pop(name) if _still_says(written.get(name), name, value) else value)
        for name, value in values
    ]
    extra = {name: value for name, value in extra.items() if name.lower() in written}
    fields = [
        Field(name, "{" + value + "}" if name == "title" else value)
        for name, value in values
        if value
    ]
    taken = {f.key.lower() for f in fields}
    fields += [Field(name, str(value)) for name, value in extra.items()
               if value not in ("", None) and name.lower() not in taken]  # fmt: skip
    library = bibtexparser.Library([Entry(entry_type, key, fields)])
    return bibtexparser.write_string(library).strip() + "\n"


def _still_says(written, name, value):
    """Whether a field's as-written form (kept at import) still reads as its value now."""
    if written is None or not value:
        return False
    if name == "doi":
        return DOI_PREFIX.sub("", _clean(written)) == value
    return _latex(_clean(_decode(LatexDecoding(), written))) == value


def publication_entry(publication, authors, tags=()):
    """The BibTeX of a Publication (its fields as they are now) with `authors` in order."""
    bib = {name: getattr(publication, attr) for name, attr in BIB_FIELDS.items()
           if getattr(publication, attr, "")}  # fmt: skip
    url = bib.pop("url", "") or ("" if publication.entry_type else publication.url_pdf)
    return entry_for(
        publication.slug, publication.pub_type, publication.title, publication.date,
        publication.venue, authors, doi=publication.doi, url=url,
        abstract=publication.abstract, tags=tags, entry_type=publication.entry_type,
        venue_field=publication.venue_field, precision=publication.date_precision, bib=bib,
        extra=publication.extra_fields,
    )  # fmt: skip
