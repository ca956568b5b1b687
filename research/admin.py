"""Admin for directions, publications (authors inline, in order), projects and tags.

A Member sees only the publications they are an author of (an Authorship linking
their Person) and must stay among the authors of what they save.
"""

from adminsortable2.admin import SortableAdminBase
from django import forms
from django.contrib import admin, messages
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
from research import import_jobs
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
    # What a paper is first (the authors inline follows), then what it says, then the
    # rest folded away. The "Bibliographic details" fieldset (volume, pages, ...) goes
    # after "Links", collapsed like it.
    fieldsets = [
        (None, {"fields": ["title", "venue", ("venue_short", "date", "pub_type"), "slug"]}),
        (_("Abstract"), {"fields": ["abstract"]}),
        (_("Links"), {"classes": ["collapse"], "fields": [
            "doi", ("url_pdf", "url_code"), ("url_dataset", "url_project"),
            ("url_poster", "url_slides"), "url_video"]}),
        (_("Bibliographic details"), {"classes": ["collapse"], "fields": [
            "date_precision", "entry_type", "venue_field", ("volume", "number", "pages"),
            "publisher", "organization", "institution", "school", "address", "editors",
            ("edition", "series", "chapter"), ("isbn", "issn"),
            ("eprint", "archive_prefix", "primary_class"), "url", "howpublished", "note",
            "extra_fields"]}),
        (_("Relations"), {"fields": [("directions", "projects", "tags")]}),
        (_("Summary, notes and image"), {"classes": ["collapse"], "fields": [
            "summary", "notes", "featured", ("image", "image_alt")]}),
        (_("Recognition and versions"), {"classes": ["collapse"], "fields": [
            "award", "presentation", "version_of", "version_kind"]}),
        (_("Citation"), {"classes": ["collapse"], "fields": ["citation_preview",
                                                             "bibtex_generated", "bibtex"]}),
        (_("Publishing"), {"fields": [("status", "publish_at")]}),
    ]  # fmt: skip
    member_owner_lookup = "authorships__person__user"
    member_readonly_fields = ["featured"]

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
