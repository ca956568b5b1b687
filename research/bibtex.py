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
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
LATEX_SPECIALS = re.compile(r"(?<!\\)([&%$#_])")
LATEX_MARKUP = re.compile(r"[\\{}~$^]")
BARE_SPECIALS = re.compile(r"(?<!\\)([%&])")


class LatexDecoding(middlewares.LatexDecodingMiddleware):
    """bibtexparser's LaTeX decoder, skipping the (slow) decoder for plain values."""

    def _transform_python_value_string(self, python_string):
        if not LATEX_MARKUP.search(python_string):
            return python_string, ""
        # A bare % starts a LaTeX comment ("50% better" -> "50") and a bare & is an
        # alignment tab that the decoder drops: BibTeX authors mean them literally.
        return super()._transform_python_value_string(BARE_SPECIALS.sub(r"\\\1", python_string))


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


def _date(year, month):
    match = re.search(r"\d{4}", str(year or ""))
    if not match or not 1 <= int(match.group()) <= 9999:
        return None
    if isinstance(month, int) and 1 <= month <= 12:
        return datetime.date(int(match.group()), month, 1)
    return datetime.date(int(match.group()), 1, 1)


def parse_bibtex(text):
    """Parse BibTeX text; return (records, errors). Never raises on bad input."""
    library = bibtexparser.parse_string(
        text,
        append_middleware=[
            LatexDecoding(),
            middlewares.SeparateCoAuthors(),
            middlewares.SplitNameParts(),
            middlewares.MonthIntMiddleware(True),
        ],
    )
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
    entries = {e.key: e for e in library.entries}
    records = []
    for entry in library.entries:
        if entry.entry_type.lower() in ("proceedings", "collection"):
            continue  # crossref targets, not publications of their own
        fields = {}
        parent = entries.get(_field(entry, "crossref") or "")
        for source in ([parent] if parent else []) + [entry]:
            for name, value in source.fields_dict.items():
                fields[name.lower()] = _resolve_concatenation(value.value, strings)
        if parent is not None and "booktitle" not in entry.fields_dict:
            # The proceedings' title is the paper's venue.
            fields["booktitle"] = _field(parent, "booktitle") or _field(parent, "title") or ""
            fields["title"] = _field(entry, "title") or ""
        try:
            record = _to_record(entry, fields, errors)
        except Exception as exc:  # an input nobody foresaw must not stop the other entries
            errors.append(BibError(entry.start_line + 1, entry.key, f"cannot be read ({exc})"))
            continue
        if record is not None:
            records.append(record)
    return records, errors


def _to_record(entry, fields, errors):
    line = entry.start_line + 1
    title = _clean(fields.get("title"))
    if not title:
        errors.append(BibError(line, entry.key, "the entry has no title"))
        return None
    date = _date(fields.get("year"), fields.get("month"))
    warnings = []
    if date is None and FORTHCOMING.search(_clean(fields.get("year"))):
        date = datetime.date(datetime.date.today().year, 1, 1)
        warnings.append(f"year '{_clean(fields.get('year'))}' read as {date.year}")
    if date is None:
        errors.append(BibError(line, entry.key, "the entry has no valid year"))
        return None
    venue = next((_clean(fields[f]) for f in VENUE_FIELDS if _clean(fields.get(f))), "")
    authors = []
    raw_authors = fields.get("author") or fields.get("editor") or []
    if isinstance(raw_authors, str):
        raw_authors = []
        warnings.append("authors could not be split into names")
    for parts in raw_authors:
        name = display_name(parts)
        authors.append("et al." if name.lower() == "others" else name)
    doi = _clean(fields.get("doi"))
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", doi, flags=re.I)
    keywords = [k.strip() for k in re.split(r"[,;]", _clean(fields.get("keywords"))) if k.strip()]
    return BibRecord(
        key=entry.key,
        line=line,
        title=title,
        date=date,
        pub_type=_pub_type(entry.entry_type, venue, {k: str(v) for k, v in fields.items()}),
        venue=venue,
        authors=authors,
        raw=entry.raw.strip(),
        doi=doi,
        url=_clean(fields.get("url")),
        abstract=_clean(fields.get("abstract")),
        keywords=keywords,
        warnings=warnings,
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


def entry_for(key, pub_type, title, date, venue, authors, doi="", url="", abstract="", tags=()):
    """Write one BibTeX entry from structured publication fields."""
    entry_type, venue_field = EXPORT_TYPES.get(pub_type, ("misc", "howpublished"))
    values = [
        ("title", _latex(title)),
        ("author", " and ".join(bibtex_name(a) for a in authors)),
        (venue_field, _latex(venue)),
        ("year", str(date.year)),
        ("month", MONTHS[date.month - 1]),
        ("doi", doi),
        ("url", url),
        ("abstract", _latex(abstract)),
        ("keywords", _latex(", ".join(tags))),
    ]
    # The writer encloses every value in braces; the title gets a second pair so
    # styles keep its capitalisation ("BERT", "GANs").
    fields = [
        Field(name, "{" + value + "}" if name == "title" else value)
        for name, value in values
        if value
    ]
    library = bibtexparser.Library([Entry(entry_type, key, fields)])
    return bibtexparser.write_string(library).strip() + "\n"
