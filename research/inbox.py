"""The publication inbox: members' works read from ORCID and OpenAlex, to review.

`sync_person` reads a member's ORCID works (then Crossref/DataCite by DOI, arXiv by
arXiv id; OpenAlex or ORCID's own record for works without DOI) and proposes each
work not yet decided as an `InboxItem`. Each is accepted (creates the publication,
or links the member to the one already here), merged into a chosen publication,
or rejected; every decision is kept, so a work is never proposed twice. A failing
source is kept on the `SyncRun` (shown in the inbox) and logged, never raised.
The sync runs as a django-tasks task (`sync_publications`), and from
`manage.py sync_publications`. See docs/sources.md.
"""

import logging

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from people.models import Person
from research import bibtex_import, identifiers
from research.bibtex import normalise_name
from research.bibtex_import import ERROR, NEW, PublicationIndex, arxiv_of
from research.citations import refresh
from research.models import Publication
from research.sources import arxiv, fetch_doi, openalex, orcid
from research.sources.http import NotFound, SourceError
from research.sources.records import SourceRecord, records_key

log = logging.getLogger(__name__)


class InboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    ACCEPTED = "accepted", _("Accepted")
    MERGED = "merged", _("Merged")
    REJECTED = "rejected", _("Rejected")


class InboxItemQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=InboxStatus.PENDING)

    def for_user(self, user):
        """An editor's: all; a member's: their own."""
        from airml.roles import is_member_only

        return self.filter(person__user=user) if is_member_only(user) else self


class InboxItem(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="inbox_items")
    identity = models.CharField(
        _("identifier"), max_length=250, help_text=_("doi:…, arxiv:…, orcid:… or openalex:…")
    )
    source = models.CharField(_("found in"), max_length=20)
    title = models.CharField(_("title"), max_length=400)
    year = models.PositiveIntegerField(_("year"), null=True, blank=True)
    record = models.JSONField(_("metadata"), default=dict)
    match = models.ForeignKey(
        "research.Publication", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("already here as"),
        help_text=_("The publication this work already is: accepting links the member to it."),
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=10, choices=InboxStatus.choices, default=InboxStatus.PENDING
    )
    publication = models.ForeignKey(
        "research.Publication", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="inbox_items", verbose_name=_("merge into / became"),
        help_text=_("To merge: choose the publication this work is, then 'Merge'."),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = InboxItemQuerySet.as_manager()

    class Meta:
        ordering = ["status", "-created_at"]
        verbose_name = _("inbox item")
        verbose_name_plural = _("publication inbox")
        constraints = [
            models.UniqueConstraint(fields=["person", "identity"], name="inbox_once_per_work")
        ]

    def __str__(self):
        return self.title

    def source_record(self):
        return SourceRecord.from_json(self.record)


class SyncRun(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="sync_runs")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    proposed = models.PositiveIntegerField(default=0)
    errors = models.TextField(blank=True, help_text=_("What a source failed to give."))

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("publication sync")

    def __str__(self):
        return f"{self.person} {self.started_at:%Y-%m-%d %H:%M}"


# ---- sync -----------------------------------------------------------------------------


def _known(person):
    """Identities already decided or proposed for this person, and their publications'."""
    known = set(InboxItem.objects.filter(person=person).values_list("identity", flat=True))
    for doi, eprint, prefix in person.authorships.values_list(
        "publication__doi", "publication__eprint", "publication__archive_prefix"
    ):
        if doi:
            known.add(f"doi:{doi.lower()}")
        if arxiv_of(eprint, prefix):
            known.add(f"arxiv:{arxiv_of(eprint, prefix)}")
    return known


def _identity(work):
    if work.get("doi"):
        return f"doi:{work['doi']}"
    if work.get("arxiv"):
        return f"arxiv:{work['arxiv']}"
    return f"orcid:{work['put_code']}"


def _record_for(person, work, by_title):
    """The full record of an ORCID work summary, from the source that registers it;
    when none knows it (a 404), what the ORCID summary itself says, the member as its
    only known author. A failing source raises: the work is asked again next time."""
    try:
        if work.get("doi"):
            return fetch_doi(work["doi"])
        if work.get("arxiv"):
            return arxiv.fetch(work["arxiv"])
        found = by_title.get(records_key(work["title"], work["date"]))
        if found is not None:  # OpenAlex knows it: authors and venue from there
            return found
        return orcid.work(person.orcid, work["put_code"], owner_name=person.name)
    except NotFound:
        return orcid.summary_record(work, person.name)


def sync_person(person):
    """Propose the person's new works; returns the SyncRun (its errors, if any)."""
    run = SyncRun.objects.create(person=person)
    known = _known(person)
    index = PublicationIndex(Publication.objects.filter(authorships__person=person).distinct())
    errors, proposals = [], []
    openalex_works = []
    if person.openalex_id:
        try:
            openalex_works = openalex.author_works(person.openalex_id)
        except SourceError as exc:
            errors.append(str(exc))
    by_title = {records_key(r.title, r.date): r for r in openalex_works}
    seen_titles = set()
    if person.orcid:
        try:
            works = orcid.works(person.orcid)
        except SourceError as exc:
            errors.append(str(exc))
            works = []
        for work in works:
            identity = _identity(work)
            seen_titles.add(records_key(work["title"], work["date"]))
            if identity in known or index.find(
                doi=work.get("doi", ""),
                arxiv=work.get("arxiv", ""),
                title=work["title"],
                date=work["date"],
            ):
                continue  # fmt: skip
            try:
                record = _record_for(person, work, by_title)
            except SourceError as exc:
                errors.append(f"{work['title'][:80]}: {exc}")
                continue  # nothing proposed: asked again at the next sync
            known.add(identity)
            proposals.append((identity, "orcid", record))
    for record in openalex_works:  # what OpenAlex lists and ORCID does not
        identity = f"doi:{record.doi}" if record.doi else f"openalex:{record.openalex_id}"
        if (identity in known or records_key(record.title, record.date) in seen_titles
                or index.find_record(record)):  # fmt: skip
            continue
        known.add(identity)
        proposals.append((identity, "openalex", record))
    _propose(person, proposals)
    run.proposed, run.errors, run.finished_at = len(proposals), "\n".join(errors), timezone.now()
    run.save()
    for error in errors:
        log.warning("publication sync of %s: %s", person.slug, error)
    return run


def _propose(person, proposals):
    """One InboxItem per proposal, with the publication it already is, if any."""
    if not proposals:
        return
    index = PublicationIndex(Publication.objects.all())
    InboxItem.objects.bulk_create(
        [
            InboxItem(
                person=person,
                identity=identity[:250],
                source=source,
                title=record.title[:400],
                year=record.date.year if record.date else None,
                record=record.to_json(),
                match=index.find_record(record),
            )  # fmt: skip
            for identity, source, record in proposals
        ],
        ignore_conflicts=True,  # a sync running twice at once proposes each work once
    )


def sync_all(person=None):
    people = Person.objects.exclude(orcid="", openalex_id="")
    if person is not None:
        people = people.filter(pk=person.pk)
    return [sync_person(p) for p in people]


@task()
def sync_publications(person_id=None):
    """Background sync of one person's works, or every member's with an iD."""
    person = Person.objects.filter(pk=person_id).first() if person_id else None
    for run in sync_all(person):
        log.info("synced %s: %d proposed", run.person.slug, run.proposed)


# ---- decisions ------------------------------------------------------------------------


def _link_member(publication, person):
    """Make sure `person` is among the publication's authors (by name, or added last)."""
    authorships = list(publication.authorships.all())
    if any(a.person_id == person.pk for a in authorships):
        return
    names = {normalise_name(v) for v in person.name_variants}
    for authorship in authorships:
        if authorship.person_id is None and normalise_name(authorship.name) in names:
            authorship.person = person
            authorship.save(update_fields=["person"])
            break
    else:
        publication.authorships.create(person=person, name=person.name, order=len(authorships))


def _decide(item, status, user, publication=None):
    item.status, item.publication = status, publication
    item.decided_at, item.decided_by = timezone.now(), user
    item.save(update_fields=["status", "publication", "decided_at", "decided_by"])


def accept(item, user=None):
    """Create the publication (or link the member to the one already here)."""
    with transaction.atomic():
        if item.match is not None:
            _link_member(item.match, item.person)
            refresh([item.match])  # the citation shows the member
            _decide(item, InboxStatus.ACCEPTED, user, item.match)
            return item.match
        entries = identifiers.plan([item.source_record()])
        entry = entries[0]
        if entry.action == ERROR:
            raise ValueError(entry.error)
        if entry.action == NEW:
            identifiers.apply(entries)
            if entry.action == ERROR:  # could not be saved
                raise ValueError(entry.error)
        # else it arrived since the sync (an import): the member joins it, the editors'
        # record is not overwritten by the source's
        _link_member(entry.publication, item.person)
        refresh([entry.publication])  # the citation shows the member
        _decide(item, InboxStatus.ACCEPTED, user, entry.publication)
        return entry.publication


def merge(item, publication, user=None):
    """The work is `publication`: fill the fields it lacks and link the member."""
    with transaction.atomic():
        record = item.source_record()
        for name, value in bibtex_import._values(record, publication).items():
            if value and not getattr(publication, name) and name != "bibtex":
                setattr(publication, name, value)
        publication.full_clean(validate_unique=False)
        publication.save()
        _link_member(publication, item.person)
        refresh([publication])  # the merged fields and the member, formatted once
        _decide(item, InboxStatus.MERGED, user, publication)
    return publication


def reject(item, user=None):
    _decide(item, InboxStatus.REJECTED, user)
