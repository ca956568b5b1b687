"""BibTeX imports from the admin, run outside the request by a task worker.

The uploaded text is stored in a `BibtexImport` row first, so a refresh, a closed
tab or a worker fault loses nothing: the preview (plan) and the import (apply) are
django-tasks tasks (the API Django 6 ships; `django_tasks_db` keeps the queue in
the site's own database, SQLite or PostgreSQL, with no extra service). Both call
the one plan/apply path in research.bibtex_import, as `manage.py import_bibtex`
and the Hugo importer do. See docs/bibtex.md.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from research import bibtex_import

STALL_AFTER = datetime.timedelta(minutes=1)
PREVIEW_ROWS = 1000  # rows listed on the page; the counts always cover every entry


class ImportStatus(models.TextChoices):
    PLANNING = "planning", _("Reading the entries")
    PLANNED = "planned", _("Ready to import")
    APPLYING = "applying", _("Importing")
    CITING = "citing", _("Formatting citations")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class BibtexImport(models.Model):
    # Never on a public page: saving one leaves cached pages valid (airml.signals).
    shown_to_visitors = False

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    text = models.TextField(_("BibTeX"))
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.PLANNING
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    rows = models.JSONField(default=list, blank=True)  # preview, then result, per entry
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("BibTeX import")

    def __str__(self):
        return f"BibTeX import {self.pk} ({self.get_status_display()})"

    @property
    def running(self):
        return self.status in (ImportStatus.PLANNING, ImportStatus.APPLYING, ImportStatus.CITING)

    @property
    def stalled(self):
        """Running but untouched for a minute: no worker took it, or the worker died."""
        return self.running and timezone.now() - self.updated_at > STALL_AFTER

    @property
    def importable(self):
        return self.status == ImportStatus.PLANNED and (
            self.counts.get("new", 0) + self.counts.get("update", 0) > 0
        )

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0

    def save_state(self, **values):
        """Set and store only these fields: the page polls the row while a task runs."""
        for name, value in values.items():
            setattr(self, name, value)
        self.save(update_fields=[*values, "updated_at"])


def row(entry):
    return {
        "line": entry.record.line,
        "key": entry.key or "",
        "title": entry.record.title,
        "action": entry.action,
        "error": entry.error,
        "changes": entry.changes,
        "authors": [[name, person is not None] for name, person in entry.authors],
        "pk": entry.publication.pk if entry.publication is not None else None,
    }


def _run(job_id, step):
    job = BibtexImport.objects.get(pk=job_id)
    try:
        step(job)
    except Exception as exc:  # the row says what happened; the text stays for a retry
        job.save_state(status=ImportStatus.FAILED, error=f"{type(exc).__name__}: {exc}")
        raise


def _plan(job):
    entries = bibtex_import.plan(job.text)
    job.save_state(
        status=ImportStatus.PLANNED, counts=bibtex_import.count(entries), total=len(entries),
        done=0, rows=[row(e) for e in entries[:PREVIEW_ROWS]], error="",
    )  # fmt: skip


def _apply(job):
    entries = bibtex_import.plan(job.text)  # again: the database may have changed since
    job.save_state(total=len(entries), done=0, error="")

    def progress(done, total):
        BibtexImport.objects.filter(pk=job.pk).update(
            done=done, total=total, updated_at=timezone.now()
        )

    # The publications are written first, with a plain citation; the citeproc
    # references (about 13 ms each) are formatted after, in this same task.
    counts = bibtex_import.apply(entries, progress=progress, defer_citations=True)
    pks = bibtex_import.citations_to_format(entries)
    rows = [row(e) for e in entries[:PREVIEW_ROWS]]
    job.save_state(status=ImportStatus.CITING, counts=counts, total=len(pks), done=0, rows=rows)
    bibtex_import.format_citations(pks, progress=progress)
    job.save_state(status=ImportStatus.DONE, total=len(entries), done=len(entries))


@task()
def plan_import(job_id):
    """Preview: what each entry would do. Writes no publication."""
    _run(job_id, _plan)


@task()
def apply_import(job_id):
    """Import the stored text, committing a chunk of entries at a time."""
    _run(job_id, _apply)


def start(text, user):
    job = BibtexImport.objects.create(text=text, created_by=user)
    plan_import.enqueue(job.pk)
    return job


def retry(job):
    """Run a failed import's step again: its import if it had a plan, else its preview."""
    if job.counts:
        confirm(job)
    else:
        job.save_state(status=ImportStatus.PLANNING, error="")
        plan_import.enqueue(job.pk)


def confirm(job):
    job.save_state(status=ImportStatus.APPLYING, done=0)
    apply_import.enqueue(job.pk)
