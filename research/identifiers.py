"""Add publications by DOI or arXiv id: fetch, plan, apply, join versions.

The fetched records (research.sources) go through the BibTeX import's plan/apply
path (research.bibtex_import), so authors are matched to members and duplicates
found the same way. A preprint and its published version are then joined with
`version_of`: the published one is the main record, the preprint its version,
and the published one gains the preprint's arXiv id (its arXiv button).
"""

from dataclasses import dataclass

from django.db import transaction

from airml.cache import bump_content_version
from research import bibtex_import, sources
from research.bibtex_import import ERROR, PlannedEntry, PublicationIndex, arxiv_of
from research.citations import refresh
from research.models import Publication, VersionKind
from research.sources.records import SourceRecord, parse_identifiers

MAX_IDENTIFIERS = 50  # one paste is fetched inside the request: a few seconds at most


@dataclass
class _Unfetched:
    """Stands for a record that could not be had (bad identifier, failing source)."""

    key: str
    line: int
    title: str = ""


def fetch(text):
    """(records, error entries) for a paste of DOIs / arXiv ids / their URLs."""
    items = parse_identifiers(text)
    errors, wanted = [], []
    for line, (typed, identifier, error) in enumerate(items, 1):
        if identifier is not None and len(wanted) == MAX_IDENTIFIERS:
            identifier, error = None, f"more than {MAX_IDENTIFIERS} at once: paste it again"
        if identifier is None:
            errors.append(PlannedEntry(_Unfetched(typed, line), ERROR, error=error))
        else:
            wanted.append((line, identifier))
    found = sources.fetch_all([identifier for _line, identifier in wanted])
    records = []
    for line, identifier in wanted:
        result = found[identifier]
        if isinstance(result, SourceRecord):
            result.line = line
            records.append(result)
        else:
            errors.append(PlannedEntry(_Unfetched(identifier, line), ERROR, error=str(result)))
    return records, errors


def to_json(records, errors):
    """What a preview keeps for its confirmation (the sources are not asked again)."""
    return {
        "records": [r.to_json() for r in records],
        "errors": [[e.record.key, e.record.line, e.error] for e in errors],
    }


def from_json(data):
    records = [SourceRecord.from_json(r) for r in data["records"]]
    errors = [PlannedEntry(_Unfetched(key, line), ERROR, error=error)
              for key, line, error in data["errors"]]  # fmt: skip
    return records, errors


def plan(records, errors=()):
    """Preview the records like a BibTeX import; a made-up key never matches a slug."""
    return bibtex_import.plan_records(records, errors, by_key=False)


def apply(entries):
    counts = bibtex_import.apply(entries)
    link_versions([e for e in entries if e.action != ERROR and e.publication is not None])
    return counts


def _identity(identifier):
    kind, _sep, value = identifier.partition(":")
    return {"doi": value} if kind == "doi" else {"arxiv": value} if kind == "arxiv" else {}


def link_versions(entries):
    """Join each applied record's publication to the other versions its source names."""
    index = None
    for entry in entries:
        relations = getattr(entry.record, "relations", None) or {}
        if not relations:
            continue
        index = index or PublicationIndex(Publication.objects.all())
        this = entry.publication
        for kind, identifiers in relations.items():
            for identifier in identifiers:
                other = index.find(**_identity(identifier))
                if other is None or other.pk == this.pk:
                    continue
                if kind == "is-preprint-of":
                    join(published=other, preprint=this)
                elif kind == "has-preprint":
                    join(published=this, preprint=other)


def join(*, published, preprint):
    """`preprint` becomes a version of `published`, which shows its arXiv button."""
    if published.version_of_id == preprint.pk:
        return  # already joined the other way by an editor: theirs stands
    with transaction.atomic():
        preprint.version_of, preprint.version_kind = published, VersionKind.PREPRINT
        Publication.objects.filter(pk=preprint.pk).update(
            version_of=published, version_kind=VersionKind.PREPRINT
        )
        bump_content_version()  # update() sends no signal: lists drop the preprint's row
        arxiv = arxiv_of(preprint.eprint, preprint.archive_prefix)
        if arxiv and not published.eprint:
            published.eprint, published.archive_prefix = arxiv, "arXiv"
            published.primary_class = published.primary_class or preprint.primary_class
            published.save()
            refresh([published])  # the export and citation now carry the eprint
