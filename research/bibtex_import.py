"""Turn parsed BibTeX records into publications: match, preview, apply.

Each entry is matched to an existing publication by key, DOI or normalised
title, and its authors to lab members by any spelling of their names. `plan`
writes nothing; `apply` writes each entry in its own transaction, so a failing
entry never leaves half a publication and never blocks the good ones.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.text import slugify

from airml.cache import bump_content_version
from airml.models import MarkdownModel
from people.models import Person
from research.bibtex import BIB_FIELDS, MONTHS, BibError, normalise_name, parse_bibtex
from research.citations import derived_fields, is_plain_citation, refresh
from research.models import ARXIV_ID, Authorship, Publication, PublicationType, Tag

NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"
BIBLIOGRAPHIC_FIELDS = [*BIB_FIELDS.values(), "entry_type", "venue_field", "date_precision",
                        "extra_fields"]  # fmt: skip
IMPORTED_FIELDS = ["title", "date", "pub_type", "venue", "doi", "abstract", "url_pdf", "bibtex",
                   *BIBLIOGRAPHIC_FIELDS]  # fmt: skip
# Too long for its column: the entry is refused with this message (nothing is cut).
LIMITED_FIELDS = {"title": "title", "venue": "journal/booktitle", "entry_type": "entry type",
                  "doi": "doi"}  # fmt: skip


class PersonMatcher:
    """Finds the lab member behind an author name, whatever the form.

    'Jane Doe', 'Doe, Jane', 'J. Doe', 'J Doe' and 'Jané Döe' all match the
    person Jane Doe, provided no other member shares that last name and initial.
    """

    def __init__(self, people=None):
        people = Person.objects.all() if people is None else people
        self.full = {}
        self.initials = {}
        for person in people:
            for variant in person.name_variants:
                self.full.setdefault(normalise_name(variant), person)
            key = self._initial_key(f"{person.first_name} {person.last_name}")
            if key:
                self.initials.setdefault(key, []).append(person)

    @staticmethod
    def _initial_key(name):
        words = normalise_name(name).split()
        if len(words) < 2:
            return None
        return (words[-1], words[0][0])

    @staticmethod
    def _given_is_initials(name):
        """'J. Doe', 'J Doe', 'J.-P. Doe': the given name is only initials."""
        given = name.split()[:-1]
        return bool(given) and all(re.fullmatch(r"[^\W\d_](\.|\.?-[^\W\d_]\.?)?", g) for g in given)

    def match(self, name):
        if "," in name:  # "Last, First"
            last, _sep, first = name.partition(",")
            name = f"{first.strip()} {last.strip()}"
        found = self.full.get(normalise_name(name))
        if found is not None:
            return found
        # Initials match a member only when the name gives nothing but initials:
        # "Wen Zhang" is not Wei Zhang, but "W. Zhang" is if no other member is.
        if not self._given_is_initials(name):
            return None
        key = self._initial_key(name)
        candidates = self.initials.get(key, []) if key else []
        return candidates[0] if len(candidates) == 1 else None


def normalise_title(title):
    return normalise_name(title)


@dataclass
class PlannedEntry:
    record: object
    action: str
    publication: object = None
    changes: list = field(default_factory=list)
    authors: list = field(default_factory=list)  # [(name, Person or None)]
    error: str = ""

    @property
    def key(self):
        return self.record.key


def _values(record, publication=None):
    """Publication fields from a record; an update never blanks a field the entry lacks."""
    values = _record_values(record)
    if publication is not None:
        values = {k: v for k, v in values.items() if v or not getattr(publication, k)}
    return values


def _record_values(record):
    url = record.url if record.url.lower().split("?")[0].endswith(".pdf") else ""
    pub_type = record.pub_type if record.pub_type in PublicationType.values else "other"
    return {
        "title": record.title,
        "date": record.date,
        "pub_type": pub_type,
        "venue": record.venue,
        "doi": record.doi,
        "abstract": record.abstract,
        "url_pdf": url if _is_url(url) else "",
        "bibtex": record.raw,
        **bibliographic_values(record),
        # A source's record may name the short venue (Crossref's short container title).
        **({"venue_short": record.venue_short} if getattr(record, "venue_short", "") else {}),
    }


def _max_length(name):
    return Publication._meta.get_field(name).max_length


def _is_url(value):
    try:
        URLValidator()(value)
    except ValidationError:
        return False
    return len(value) <= _max_length("url")


def bibliographic_values(record):
    """The bibliographic fields of a record, for any importer that has one.

    A value longer than its column, or a `url` that is not a web address, is not cut
    or dropped: it stays among the extra fields, exported as it came.
    """
    extra = dict(record.extra)
    values = {}
    for bib_name, name in BIB_FIELDS.items():
        value = record.bib.get(name, "")
        limit = _max_length(name)
        if value and ((limit and len(value) > limit) or (name == "url" and not _is_url(value))):
            extra[bib_name], value = value, ""
        values[name] = value
    values.update(entry_type=record.entry_type, venue_field=record.venue_field,
                  date_precision=record.date_precision, extra_fields=extra)  # fmt: skip
    return values


def set_bibliographic(publication, record):
    """Copy a record's bibliographic fields onto a publication whose date came elsewhere.

    The record's precision holds only where the publication's date agrees with it
    (a Hugo page's own full date wins over a year-only cite.bib).
    """
    values = bibliographic_values(record)
    precision = values["date_precision"]
    if record.date is None or publication.date is None:  # the page's own date, or none
        values["date_precision"] = precision if publication.date is None else "day"
        for name, value in values.items():
            setattr(publication, name, value)
        return
    parts = {"year": ("year",), "month": ("year", "month"), "day": ("year", "month", "day")}
    same = all(getattr(publication.date, p) == getattr(record.date, p) for p in parts[precision])
    exact = precision == "day" or publication.date == record.date
    values["date_precision"] = precision if same and exact else "day"
    if not same:  # the page's date is shown; the export keeps the entry's own year (month)
        values["extra_fields"] = {"year": str(record.date.year), **values["extra_fields"]}
        if precision != "year":
            values["extra_fields"].setdefault("month", MONTHS[record.date.month - 1])
    for name, value in values.items():
        setattr(publication, name, value)


def entry_problem(record):
    """Why an entry cannot be imported as it is (a clear message), or ''."""
    values = {"title": record.title, "venue": record.venue, "entry_type": record.entry_type,
              "doi": record.doi}  # fmt: skip
    for name, label in LIMITED_FIELDS.items():
        limit = _max_length(name)
        if len(values[name]) > limit:
            return f"the {label} is longer than {limit} characters ({len(values[name])})"
    return ""


def arxiv_of(eprint, archive_prefix=""):
    """The bare arXiv id (no version) of an eprint field, or ''."""
    match = ARXIV_ID.fullmatch((eprint or "").strip())
    if not match and archive_prefix.lower() != "arxiv":
        return ""
    return (match.group(2) if match else eprint.strip()).lower()


def title_key(title, date):
    """Normalised title with the year: the same words of another year are another paper."""
    return (normalise_title(title), date.year if date else None)


class PublicationIndex:
    """Existing publications by slug, DOI, arXiv id and normalised title + year: the one
    rule that keeps a paper to one record, for every importer (BibTeX, Hugo, add by
    identifier, sync)."""

    def __init__(self, publications):
        self.by_key, self.by_doi, self.by_arxiv, self.by_title = {}, {}, {}, {}
        for publication in publications:
            self.add(publication)

    def add(self, publication):
        self.by_key.setdefault(publication.slug, publication)
        if publication.doi:
            self.by_doi.setdefault(publication.doi.lower(), publication)
        arxiv = arxiv_of(publication.eprint, publication.archive_prefix)
        if arxiv and (arxiv not in self.by_arxiv or publication.pub_type == "preprint"):
            # A published version carries its preprint's id (its arXiv button): the id
            # names the preprint record itself.
            self.by_arxiv[arxiv] = publication
        self.by_title.setdefault(title_key(publication.title, publication.date), publication)
        if publication.date is not None:  # an undated entry of the same title matches too
            self.by_title.setdefault(title_key(publication.title, None), publication)

    def find(self, *, doi="", arxiv="", title="", date=None, key=""):
        """The publication this one is, or None; `key` (a BibTeX key) only by slug."""
        return (
            (self.by_key.get(slugify(key)) if key else None)
            or (self.by_doi.get(doi.lower()) if doi else None)
            or (self.by_arxiv.get(arxiv.lower()) if arxiv else None)
            or (self.by_title.get(title_key(title, date)) if title else None)
        )

    def find_record(self, record):
        return self.find(doi=record.doi, title=record.title, date=record.date, key=record.key,
                         arxiv=arxiv_of(record.bib.get("eprint", ""),
                                        record.bib.get("archive_prefix", "")))  # fmt: skip


def plan(text):
    """Preview an import: a PlannedEntry per entry (and per broken one). Writes nothing."""
    records, errors = parse_bibtex(text)
    broken = [PlannedEntry(_ErrorRecord(e), ERROR, error=e.message) for e in errors]
    return plan_records(records, broken)


def plan_records(records, entries=(), *, by_key=True):
    """Plan parsed or fetched records (research.sources) the way `plan` plans BibTeX.
    With `by_key=False` a record's key (made up by a source) never matches a slug."""
    index = PublicationIndex(Publication.objects.prefetch_related("authorships"))
    matcher = PersonMatcher()
    entries = list(entries)
    seen = set()
    for record in records:
        problem = entry_problem(record)
        if problem:
            entries.append(PlannedEntry(record, ERROR, error=problem))
            continue
        authors = [(name, matcher.match(name)) for name in record.authors]
        publication = index.find_record(record) if by_key else index.find(
            doi=record.doi, title=record.title, date=record.date,
            arxiv=arxiv_of(record.bib.get("eprint", ""), record.bib.get("archive_prefix", "")),
        )  # fmt: skip
        if publication is not None and publication.pk in seen:
            entries.append(PlannedEntry(record, ERROR, error="matches the same publication as "
                                        "an earlier entry in this file"))  # fmt: skip
            continue
        if publication is None:
            entries.append(PlannedEntry(record, NEW, authors=authors))
            continue
        seen.add(publication.pk)
        values = _values(record, publication)
        changes = [name for name, value in values.items() if getattr(publication, name) != value]
        old_authors = [(a.display_name, a.person_id) for a in publication.authorships.all()]
        new_authors = [(name, person.pk if person else None) for name, person in authors]
        if old_authors != new_authors:
            changes.append("authors")
        action = UPDATE if changes else UNCHANGED
        entries.append(PlannedEntry(record, action, publication, changes, authors))
    entries.sort(key=lambda e: e.record.line)
    return entries


class _ErrorRecord:
    def __init__(self, error: BibError):
        self.key, self.line, self.title = error.key, error.line, ""


def _unique_slug(key, taken):
    base = slugify(key)[:110] or "publication"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


CHUNK = 250  # entries per commit: progress shows between commits


def apply(entries, progress=None, *, defer_citations=False):
    """Write planned entries, each all-or-nothing. Returns counts per action.

    Entries are committed a chunk at a time; after each chunk `progress(done, total)`
    is called (a background import shows it). A fault part-way keeps what was
    committed; applying the same text again finds those entries unchanged.
    With `defer_citations`, new publications are written in bulk with a plain
    citation; `format_citations(citations_to_format(entries))` then formats them.
    """
    counts = {NEW: 0, UPDATE: 0, UNCHANGED: 0, ERROR: 0}
    taken = set(Publication.objects.values_list("slug", flat=True))
    for start in range(0, len(entries), CHUNK):
        chunk = entries[start : start + CHUNK]
        with transaction.atomic():  # one commit per chunk; each entry its own savepoint
            bulk = [e for e in chunk if e.action == NEW] if defer_citations else []
            _bulk_new(bulk, taken, counts)
            in_bulk = {id(e) for e in bulk}
            for entry in chunk:
                if id(entry) not in in_bulk:
                    _apply_one(entry, taken, counts, cite=not defer_citations)
        bump_content_version()  # once a chunk: cached pages show the new publications
        if progress is not None:
            progress(min(start + CHUNK, len(entries)), len(entries))
    return counts


def _apply_one(entry, taken, counts, cite=True, built=None):
    if entry.action in (UNCHANGED, ERROR):
        counts[entry.action] += 1
        return
    try:
        with transaction.atomic():
            publication = write_entry(entry, *(built or build_entry(entry, taken, cite=cite)))
            if cite:
                refresh([publication])
    except Exception as exc:  # report, keep going: the other entries still import
        entry.action, entry.error = ERROR, f"could not be saved: {exc}"
        counts[ERROR] += 1
    else:
        counts[entry.action] += 1


def _bulk_new(entries, taken, counts):
    """New entries of a chunk in one INSERT of publications and one of authorships;
    an entry that fails validation is reported alone, and if the bulk INSERT fails
    the entries are written one by one (each its own savepoint)."""
    if not entries:
        return
    built = []
    for entry in entries:
        try:
            built.append((entry, build_entry(entry, taken, cite=False)))
        except Exception as exc:
            entry.action, entry.error = ERROR, f"could not be saved: {exc}"
            counts[ERROR] += 1
    try:
        with transaction.atomic():
            Publication.objects.bulk_create([b[0] for _e, b in built])
            authorships = []
            for entry, (publication, entry_authorships, _replace) in built:
                for authorship in entry_authorships:
                    authorship.publication = publication  # sets the id bulk_create returned
                authorships += entry_authorships
                entry.publication = publication
            Authorship.objects.bulk_create(authorships)
            for entry, (publication, *_rest) in built:
                _add_tags(entry, publication)
    except Exception:  # find the culprit: entry by entry
        for entry, (publication, entry_authorships, replace) in built:
            publication.pk = publication.id = None
            publication._state.adding = True
            _apply_one(entry, taken, counts, cite=False,
                       built=(publication, entry_authorships, replace))  # fmt: skip
    else:
        counts[NEW] += len(built)


def build_entry(entry, taken=None, *, cite=True):
    """(publication, its authorships, whether they replace the old ones), validated and
    unsaved. With `cite=False` it carries the plain citation (a deferred import writes
    it as is); otherwise the caller formats it once written (`citations.refresh`)."""
    record, publication = entry.record, entry.publication
    values = _values(record, publication)
    if publication is None:
        taken = set(Publication.objects.values_list("slug", flat=True)) if taken is None else taken
        publication = Publication(slug=_unique_slug(record.key, taken))
    for name, value in values.items():
        setattr(publication, name, value)
    replace = entry.action == NEW or "authors" in entry.changes
    if replace:
        authorships = [
            Authorship(publication=publication, person=person, name=name[:200], order=i)
            for i, (name, person) in enumerate(entry.authors)
        ]  # fmt: skip
    else:
        authorships = list(publication.authorships.all())  # prefetched by plan()
    if not cite:  # the plain citation and the export go into the one (bulk) INSERT
        publication.citation_html, publication.bibtex_export = derived_fields(
            publication, authorships, cite=False
        )
    publication.full_clean(validate_unique=False)  # slugs are made unique above
    publication.render_markdown_fields()
    return publication, authorships, replace


def write_entry(entry, publication, authorships, replace):
    """Save one built publication with its ordered authors (inside a transaction)."""
    super(MarkdownModel, publication).save()  # its Markdown is rendered by build_entry
    if replace:
        if entry.action != NEW:
            publication.authorships.all().delete()
        for authorship in authorships:
            authorship.publication = publication  # its id now (a bulk retry had another)
        Authorship.objects.bulk_create(authorships)
    _add_tags(entry, publication)
    entry.publication = publication
    return publication


def _add_tags(entry, publication):
    if entry.record.keywords and entry.action == NEW:
        tags = [Tag.objects.get_or_create(slug=slugify(k)[:100] or "tag",
                                          defaults={"name": k[:80]})[0]
                for k in entry.record.keywords]  # fmt: skip
        publication.tags.add(*tags)


def save_entry(entry, taken=None):
    """Create or update one publication with its ordered authors and its citation (call
    inside a transaction)."""
    publication = write_entry(entry, *build_entry(entry, taken))
    refresh([publication])
    return publication


def citations_to_format(entries):
    """Pks of the applied entries' publications whose citation is still the plain one."""
    return [
        e.publication.pk
        for e in entries
        if e.action != ERROR and e.publication is not None and e.publication.pk
        and is_plain_citation(e.publication.citation_html)
    ]  # fmt: skip


def format_citations(pks, progress=None):
    """Format the full citations of these publications, a chunk at a time (one
    `citations.refresh` a chunk: three queries); `progress(done, total)` after each."""
    for start in range(0, len(pks), CHUNK):
        refresh(Publication.objects.filter(pk__in=pks[start : start + CHUNK]))
        if progress is not None:
            progress(min(start + CHUNK, len(pks)), len(pks))


def count(entries):
    """Counts per action of planned (or applied) entries."""
    counts = {NEW: 0, UPDATE: 0, UNCHANGED: 0, ERROR: 0}
    for entry in entries:
        counts[entry.action] += 1
    return counts


def describe(entry):
    """One line for an entry: 'line 12  new        key2020  Title' (the error, if any)."""
    detail = entry.error or (", ".join(entry.changes) if entry.changes else entry.record.title)
    return f"line {entry.record.line:<6} {entry.action:<9} {entry.key or '?'}: {detail}"


def import_bibtex(text, *, defer_citations=False):
    """Plan and apply in one go (used by tests and the command line); with
    `defer_citations`, the citations are formatted afterwards, as a background import
    does."""
    entries = plan(text)
    counts = apply(entries, defer_citations=defer_citations)
    if defer_citations:
        format_citations(citations_to_format(entries))
    return entries, counts
