"""Writing BibTeX from publication fields: the `.bib` exports and the generated entry.

The counterpart of research.bibtex (which reads): an imported entry comes back field
by field, with its entry type as given, only the date parts it had and its other
fields verbatim; a publication typed into the admin gets a type-appropriate entry.
"""

import re

import bibtexparser
from bibtexparser.model import Entry, Field

from research.bibtex import (
    BIB_FIELDS,
    DAY,
    DOI_PREFIX,
    EXPORT_TYPES,
    LATEX_SPECIALS,
    MONTH,
    MONTHS,
    VERBATIM_FIELDS,
    _clean,
    _decode,
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
    if date is not None and not {"year", "date"} & {name.lower() for name in extra}:
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
    return _latex(_clean(_decode(None, written))) == value


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
