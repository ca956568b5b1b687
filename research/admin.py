"""Admin for directions, publications (authors inline, in order), projects and tags.

A Member sees only the publications they are an author of (an Authorship linking
their Person) and must stay among the authors of what they save.
"""

import secrets

from adminsortable2.admin import SortableAdminBase
from django import forms
from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from airml.admin import (
    ContentAdmin,
    ModelAdmin,
    SortableInlineFormSet,
    SortableTabularInline,
    TabularInline,
)
from airml.roles import is_member_only
from news.models import NewsItem
from people.models import Person
from research import bibtex_import, identifiers, import_jobs, inbox
from research.citations import refresh
from research.inbox import InboxItem, InboxStatus, SyncRun
from research.models import (
    Authorship,
    Project,
    ProjectLink,
    Publication,
    PublicationLink,
    ResearchDirection,
    Tag,
)


@admin.register(Tag)
class TagAdmin(ModelAdmin):
    list_display = ["name", "slug"]
    autocomplete_for_members = True
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ResearchDirection)
class ResearchDirectionAdmin(ContentAdmin):
    list_display = ["title", "order", "status"]
    autocomplete_for_members = True
    list_editable = ["order"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["people"]


class AuthorshipFormSet(SortableInlineFormSet):
    member_person = None  # set per request for members

    def clean(self):
        super().clean()
        if not is_member_only(self.request_user):
            return
        people = {
            form.cleaned_data.get("person")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        }
        if self.member_person is None or self.member_person not in people:
            raise ValidationError(
                _("Add yourself (your lab profile) as an author: you may only edit "
                  "publications you are an author of.")
            )  # fmt: skip


class AuthorshipInline(SortableTabularInline):
    """The authors in order: drag a row to move it."""

    model = Authorship
    verbose_name = _("author")
    verbose_name_plural = _("authors (drag to reorder)")
    formset = AuthorshipFormSet
    autocomplete_fields = ["person"]
    fields = ["person", "name", "note", "order"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # One compact row per author: no add/edit/view icons under the person box.
        widget = formset.form.base_fields["person"].widget
        widget.can_add_related = widget.can_change_related = False
        widget.can_delete_related = widget.can_view_related = False
        formset.request_user = request.user
        formset.member_person = Person.objects.filter(user=request.user).first()
        return formset


class PublicationLinkInline(TabularInline):
    model = PublicationLink
    classes = ["collapse"]  # further links (talk, blog post...) are rare: folded


class BibtexImportForm(forms.Form):
    bibtex = forms.CharField(
        label=_("BibTeX"),
        required=False,
        strip=False,  # keep leading lines so error line numbers match the editor's text
        widget=forms.Textarea(attrs={"rows": 14, "cols": 100}),
        help_text=_("Paste one or many entries, or upload a .bib file below."),
    )
    bibfile = forms.FileField(label=_(".bib file"), required=False)

    MAX_BYTES = 5 * 1024 * 1024

    def clean(self):
        data = super().clean()
        upload = data.get("bibfile")
        if upload is not None:
            if upload.size > self.MAX_BYTES:
                raise forms.ValidationError(_("The file is larger than 5 MB."))
            try:
                data["bibtex"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from exc
        if not data.get("bibtex", "").strip():
            raise forms.ValidationError(_("Paste BibTeX or choose a .bib file."))
        return data


class IdentifierForm(forms.Form):
    identifiers = forms.CharField(
        label=_("DOIs or arXiv ids"),
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text=_("One or many, on lines or separated by commas: 10.1145/3448016.3452841, "
                    "2104.12255, or their doi.org / arxiv.org addresses."),
    )  # fmt: skip


PREVIEW_TIMEOUT = 3600  # seconds a preview waits for its confirmation


@admin.register(Publication)
class PublicationAdmin(SortableAdminBase, ContentAdmin):
    list_display = ["title", "date", "pub_type", "venue_short", "featured", "status"]
    list_filter = ["pub_type", "featured", "status", "presentation", "directions", "tags"]
    search_fields = ["title", "slug", "venue", "abstract", "authorships__name",
                     "authorships__person__last_name", "doi"]  # fmt: skip
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["version_of", "directions", "projects", "tags"]
    readonly_fields = ["citation_preview", "bibtex_generated"]
    inlines = [AuthorshipInline, PublicationLinkInline]
    lead_inlines = 1  # the authors, right under title, venue and date
    actions = ["publish", "unpublish", "announce"]
    change_list_template = "admin/research/publication/change_list.html"
    # What a paper is first (the authors inline follows), then what it is about, the
    # rest folded away, and where and when it is published last: a typical paper fits
    # in about two screens at 1,280×800 (tests/e2e/test_admin_editing.py).
    fieldsets = [
        (None, {"fields": ["title", "venue", ("venue_short", "date", "pub_type")]}),
        (_("Abstract and relations"), {"fields": [
            "abstract", ("directions", "projects", "tags")]}),
        (_("Links"), {"classes": ["collapse"], "fields": [
            "doi", ("url_pdf", "url_code"), ("url_dataset", "url_project"),
            ("url_poster", "url_slides"), "url_video"]}),
        (_("Bibliographic details"), {"classes": ["collapse"], "fields": [
            "date_precision", "entry_type", "venue_field", ("volume", "number", "pages"),
            "publisher", "organization", "institution", "school", "address", "editors",
            ("edition", "series", "chapter"), ("isbn", "issn"),
            ("eprint", "archive_prefix", "primary_class"), "url", "howpublished", "note",
            "extra_fields"]}),
        (_("Summary, notes and image"), {"classes": ["collapse"], "fields": [
            "summary", "notes", "featured", ("image", "image_alt")]}),
        (_("Recognition and versions"), {"classes": ["collapse"], "fields": [
            "award", "presentation", "version_of", "version_kind"]}),
        (_("Citation"), {"classes": ["collapse"], "fields": ["citation_preview",
                                                             "bibtex_generated", "bibtex"]}),
        (_("Publishing"), {"fields": [("status", "publishing_state"), "publish_at", "slug"]}),
    ]  # fmt: skip
    member_owner_lookup = "authorships__person__user"
    member_readonly_fields = ["featured"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh([form.instance])  # once, now that the authors inline is saved too

    @admin.display(description=_("reference as shown"))
    def citation_preview(self, obj):
        return mark_safe(obj.citation_html) if obj.pk else "—"  # noqa: S308 - sanitised on save

    @admin.display(description=_("BibTeX as exported"))
    def bibtex_generated(self, obj):
        return format_html("<pre>{}</pre>", obj.bibtex_export) if obj.pk else "—"

    def get_actions(self, request):
        actions = super().get_actions(request)
        if is_member_only(request.user):
            actions.pop("announce", None)
        return actions

    @admin.action(description=_("Draft a news item announcing each selected publication"))
    def announce(self, request, queryset):
        created = 0
        for publication in queryset:
            _news, new = NewsItem.objects.draft_announcement(publication)
            created += new
        self.message_user(
            request,
            ngettext("%d draft news item created; publish it from News.",
                     "%d draft news items created; publish them from News.", created) % created,
            messages.SUCCESS,
        )  # fmt: skip

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import-bibtex/", view(self.import_bibtex_view),
                 name="research_publication_import_bibtex"),
            path("import-bibtex/<int:pk>/", view(self.import_bibtex_job_view),
                 name="research_publication_import_bibtex_job"),
            path("add-by-identifier/", view(self.add_by_identifier_view),
                 name="research_publication_add_by_identifier"),
        ] + super().get_urls()  # fmt: skip

    def _import_context(self, request, **extra):
        # Members may only touch papers they author; a bulk import is for editors.
        if not self.has_add_permission(request) or is_member_only(request.user):
            raise PermissionDenied
        return {**self.admin_site.each_context(request), "opts": self.model._meta,
                "title": _("Import BibTeX"), "media": self.media, **extra}  # fmt: skip

    def import_bibtex_view(self, request):
        """Paste or upload BibTeX: stored, then previewed by the task worker."""
        context = self._import_context(request)
        form = BibtexImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            job = import_jobs.start(form.cleaned_data["bibtex"], request.user)
            return redirect("admin:research_publication_import_bibtex_job", job.pk)
        context["form"] = form
        return TemplateResponse(request, "admin/research/publication/import_bibtex.html", context)

    def import_bibtex_job_view(self, request, pk):
        """One import: progress while a task runs, the preview to confirm, the result."""
        job = get_object_or_404(import_jobs.BibtexImport, pk=pk)
        context = self._import_context(request, job=job)
        if request.method == "POST":
            if "confirm" in request.POST and job.importable:
                import_jobs.confirm(job)
            elif "retry" in request.POST and (job.status == "failed" or job.stalled):
                import_jobs.retry(job)
            return redirect("admin:research_publication_import_bibtex_job", job.pk)
        return TemplateResponse(
            request, "admin/research/publication/import_bibtex_job.html", context
        )

    def add_by_identifier_view(self, request):
        """Paste DOIs / arXiv ids: fetched and previewed, then added on confirmation.

        The fetched records wait in the cache between the two steps (the sources are
        asked once); confirming plans them again against the publications here now."""
        context = self._import_context(request, title=_("Add by DOI or arXiv id"))
        form = IdentifierForm(request.POST if "preview" in request.POST else None)
        if "confirm" in request.POST:
            stored = cache.get(f"add-by-identifier:{request.POST.get('token', '')}")
            if stored is None:
                messages.error(request, _("This preview has expired: paste the identifiers "
                                          "again."))  # fmt: skip
                return redirect("admin:research_publication_add_by_identifier")
            entries = identifiers.plan(*identifiers.from_json(stored))
            counts = identifiers.apply(entries)
            cache.delete(f"add-by-identifier:{request.POST['token']}")
            context.update(status="done", counts=counts, rows=[_id_row(e) for e in entries])
        elif form.is_valid():
            records, errors = identifiers.fetch(form.cleaned_data["identifiers"])
            entries = identifiers.plan(records, errors)
            token = secrets.token_urlsafe(16)
            cache.set(f"add-by-identifier:{token}", identifiers.to_json(records, errors),
                      PREVIEW_TIMEOUT)  # fmt: skip
            counts = bibtex_import.count(entries)
            context.update(status="planned", counts=counts, token=token,
                           rows=[_id_row(e) for e in entries],
                           importable=counts["new"] + counts["update"] > 0)  # fmt: skip
        context["form"] = form
        return TemplateResponse(
            request, "admin/research/publication/add_by_identifier.html", context
        )


def _id_row(entry):
    """A preview row; its key column shows the identifier asked for."""
    row = import_jobs.row(entry)
    row["key"] = getattr(entry.record, "identifier", "") or entry.record.key
    return row


class ProjectLinkInline(TabularInline):
    model = ProjectLink


@admin.register(Project)
class ProjectAdmin(ContentAdmin):
    list_display = ["title", "date", "featured", "order", "status"]
    autocomplete_for_members = True
    list_editable = ["order"]
    list_filter = ["featured", "status", "directions"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["directions", "people", "tags"]
    inlines = [ProjectLinkInline]


@admin.register(SyncRun)
class SyncRunAdmin(ModelAdmin):
    list_display = ["person", "started_at", "finished_at", "proposed", "failed"]
    list_filter = ["started_at"]
    search_fields = ["person__first_name", "person__last_name", "errors"]
    readonly_fields = ["person", "started_at", "finished_at", "proposed", "errors"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")

    @admin.display(description=_("source failed"), boolean=True)
    def failed(self, obj):
        return bool(obj.errors)

    def has_add_permission(self, request):
        return False


@admin.register(InboxItem)
class InboxItemAdmin(ModelAdmin):
    """Each work proposed by the sync: accept, merge into a chosen publication, reject."""

    list_display = ["title", "person", "year", "source", "already_here", "status"]
    list_filter = ["status", "source", "person"]
    search_fields = ["title", "identity", "person__first_name", "person__last_name"]
    readonly_fields = ["person", "identity", "source", "title", "year", "authors", "venue",
                       "match", "status", "decided_at", "decided_by"]  # fmt: skip
    fields = readonly_fields[:-3] + ["publication", "status", "decided_at", "decided_by"]
    autocomplete_fields = ["publication"]
    actions = ["accept_selected", "reject_selected"]
    change_form_template = "admin/research/inboxitem/change_form.html"
    change_list_template = "admin/research/inboxitem/change_list.html"
    member_owner_lookup = "person__user"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "match")

    def has_add_permission(self, request):
        return False  # the sync proposes; nobody types an item

    @admin.display(description=_("already here as"))
    def already_here(self, obj):
        return obj.match or "—"

    @admin.display(description=_("authors"))
    def authors(self, obj):
        return ", ".join(obj.record.get("authors", [])) or "—"

    @admin.display(description=_("venue"))
    def venue(self, obj):
        return obj.record.get("venue") or "—"

    def get_urls(self):
        view = self.admin_site.admin_view(self.sync_now_view)
        return [path("sync/", view, name="research_inboxitem_sync")] + super().get_urls()

    def sync_now_view(self, request):
        """Queue a sync now: a member's own works, or an editor's whole lab."""
        if request.method != "POST" or not self.has_view_permission(request):
            raise PermissionDenied
        person = None
        if is_member_only(request.user):
            person = Person.objects.filter(user=request.user).exclude(orcid="", openalex_id="")
            person = person.first()
            if person is None:
                self.message_user(request, _("Add your ORCID iD to your profile first."),
                                  messages.ERROR)  # fmt: skip
                return redirect("admin:research_inboxitem_changelist")
        inbox.sync_publications.enqueue(person.pk if person else None)
        self.message_user(request, _("Sync queued: new works appear here in a minute."),
                          messages.SUCCESS)  # fmt: skip
        return redirect("admin:research_inboxitem_changelist")

    def changelist_view(self, request, extra_context=None):
        runs = SyncRun.objects.select_related("person").exclude(errors="")
        if is_member_only(request.user):
            runs = runs.filter(person__user=request.user)
        extra = {"failed_runs": list(runs[:5])}
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    def _decide_all(self, request, queryset, decide, done_message):
        done = 0
        for item in queryset.filter(status=InboxStatus.PENDING).select_related("person"):
            try:
                decide(item, request.user)
            except (ValueError, ValidationError) as exc:
                self.message_user(request, f"{item}: {exc}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, done_message % done, messages.SUCCESS)

    @admin.action(description=_("Accept the selected works"))
    def accept_selected(self, request, queryset):
        self._decide_all(request, queryset, inbox.accept, _("%d accepted."))

    @admin.action(description=_("Reject the selected works (never proposed again)"))
    def reject_selected(self, request, queryset):
        self._decide_all(request, queryset, inbox.reject, _("%d rejected."))

    def response_change(self, request, obj):
        if obj.status != InboxStatus.PENDING:
            return super().response_change(request, obj)
        try:
            if "_accept" in request.POST:
                publication = inbox.accept(obj, request.user)
                self.message_user(request, _("Accepted: %s") % publication, messages.SUCCESS)
            elif "_merge" in request.POST:
                if obj.publication is None:
                    self.message_user(request, _("Choose the publication to merge into."),
                                      messages.ERROR)  # fmt: skip
                    return redirect(request.path)
                inbox.merge(obj, obj.publication, request.user)
                self.message_user(request, _("Merged into %s") % obj.publication,
                                  messages.SUCCESS)  # fmt: skip
            elif "_reject" in request.POST:
                inbox.reject(obj, request.user)
                self.message_user(request, _("Rejected: it will not be proposed again."),
                                  messages.SUCCESS)  # fmt: skip
        except (ValueError, ValidationError) as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return redirect(request.path)
        return redirect("admin:research_inboxitem_changelist")
