"""Admin pieces shared by the apps: the Markdown editor, version history, conflicts.

Every admin built on `ModelAdmin` gets:
- the markdownx editor with live preview on Markdown source fields;
- django-reversion history: each save is a version, the history page shows who
  changed what, each version has a "Changes" diff and can be restored, and deleted
  objects can be recovered (a version is kept right before any delete);
- optimistic locking: the change form carries a signed snapshot of the object as it
  was loaded; a save over someone else's newer save (or one without a snapshot) is
  refused with a list of what they changed, and the editor's input stays in the form;
- drafts: static/js/admin-drafts.js keeps what an editor types in this browser until
  a save succeeds and offers it back after one that failed (database gone, 503);
- uploads stored while the form is validated (airml.storage): a full or read-only
  disk is a form error, and files of a save that did not happen are removed.
It also lists the background tasks' results (failed ones with their traceback).
Restoring and recovering are for Editors and Lab admins; Members see history only.
"""

import contextvars

import reversion
from adminsortable2.admin import SortableStackedInline as SortableStackedInlineBase
from adminsortable2.admin import SortableTabularInline as SortableTabularInlineBase
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult
from markdownx.widgets import AdminMarkdownxWidget
from reversion.admin import VersionAdmin
from reversion.models import Version

from airml import history, slug_redirects
from airml.admin_parts import (  # noqa: F401 - re-exported for the apps' admins
    PublishingStateFilter,
    SortableAdminMixin,
    SortableInlineFormSet,
    publishing_state,
    slug_help_text,
)
from airml.images import ALT_TEXT_HELP
from airml.models import Status
from airml.preview import PreviewMixin
from airml.roles import is_member_only
from airml.storage import discard_unsaved_uploads, keep_uploads, with_stored_uploads

EDIT_BASE = "_edit_base"
EDIT_BASE_SALT = "airml.admin.edit-base"
MISSING_EDIT_BASE = _(
    "Nothing was saved: this form did not say which version of the %(name)s it was "
    "based on, so a newer save could have been overwritten. Your changes are still in "
    "the form below; save again to keep them."
)


class EditorMixin:
    """Markdown source fields (see MarkdownModel) get the markdownx editor with live
    preview; links typed without a scheme are taken as https (Django 6's default)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in getattr(self.model, "markdown_fields", {}):
            kwargs["widget"] = AdminMarkdownxWidget
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"
        if db_field.name in getattr(self.model, "alt_text_fields", {}).values():
            kwargs["help_text"] = ALT_TEXT_HELP
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def conflict_checked_form(base_form, model_admin):
    """A subclass of the admin's form that refuses to overwrite a newer save."""

    class ConflictCheckedForm(base_form):
        _edit_base = forms.CharField(widget=forms.HiddenInput, required=False)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if self.instance.pk is not None and not self.is_bound:
                snapshot = model_admin.edit_snapshot(self.instance)
                self.fields[EDIT_BASE].initial = signing.dumps(
                    snapshot, salt=EDIT_BASE_SALT, compress=True
                )

        def clean(self):
            cleaned_data = super().clean()
            key = self.add_prefix(EDIT_BASE)
            posted = self.data.get(key)
            if self.instance.pk is None:
                return cleaned_data
            # Fail closed: a change without (or with a forged) base is a conflict too.
            try:
                base = signing.loads(posted, salt=EDIT_BASE_SALT) if posted else None
            except signing.BadSignature:
                base = None
            # Lock the row (PostgreSQL) until this save commits, then compare.
            current_obj = (
                type(self.instance)._default_manager.select_for_update()
                .filter(pk=self.instance.pk).first()
            )  # fmt: skip
            if current_obj is None:
                return cleaned_data
            current = model_admin.edit_snapshot(current_obj)
            if base is None:
                name = model_admin.model._meta.verbose_name
                self.add_error(None, MISSING_EDIT_BASE % {"name": name})
            elif base != current:
                self.add_error(None, model_admin.conflict_message(self, base, current))
            if base != current:
                # Showing the form again bases it on the saved row: saving it again,
                # after reading what changed, deliberately keeps this editor's version.
                self.data = self.data.copy()
                self.data[key] = signing.dumps(current, salt=EDIT_BASE_SALT, compress=True)
            return cleaned_data

    return ConflictCheckedForm


def _form_values(form, model):
    values = {}
    for field in history.editable_fields(model):
        if field.name not in getattr(form, "cleaned_data", {}):
            continue
        value = form.cleaned_data[field.name]
        if field.many_to_many:
            value = sorted(obj.pk for obj in value)
        elif field.is_relation:
            value = value.pk if value is not None else None
        values[field.attname] = value
    return values


class ModelAdmin(PreviewMixin, EditorMixin, VersionAdmin):
    """Base admin: history with diffs and restore, recovery of deleted objects, a
    conflict check on every change form, a Preview button for public types, and
    `lead_inlines` (how many inlines come right after the first fieldset)."""

    object_history_template = "admin/airml/object_history.html"
    change_list_template = "admin/airml/change_list.html"
    change_form_template = "admin/airml/change_form.html"
    history_latest_first = True
    lead_inlines = 0

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["lead_inlines_slice"] = f":{self.lead_inlines}"
        context["other_inlines_slice"] = f"{self.lead_inlines}:"
        if self.has_preview():
            opts = self.model._meta
            name = f"admin:{opts.app_label}_{opts.model_name}_preview"
            context["preview_url"] = reverse(name, args=[obj.pk]) if obj else reverse(
                f"{name}_add")  # fmt: skip
        return super().render_change_form(request, context, add, change, form_url, obj)

    class Media:
        js = ["js/admin-drafts.js", "js/admin-uploads.js"]

    # Version history -----------------------------------------------------------------

    def inline_models(self):
        return [inline.model for inline in self.inlines]

    def edit_snapshot(self, obj):
        return history.describe_object(obj, self.inline_models())

    def has_restore_permission(self, request, obj=None):
        """Restoring an old version or a deleted object: Editors and Lab admins only."""
        if is_member_only(request.user):
            return False
        if obj is None:
            return self.has_change_permission(request) and self.has_add_permission(request)
        return self.has_change_permission(request, obj)

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}_compare"
        urls = [
            path(
                "<path:object_id>/history/<int:version_id>/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=name,
            )
        ]
        if self.has_preview():
            prefix = f"{opts.app_label}_{opts.model_name}_preview"
            urls += [
                path("add/preview/", self.admin_site.admin_view(self.preview_view),
                     name=f"{prefix}_add"),
                path("<path:object_id>/preview/", self.admin_site.admin_view(self.preview_view),
                     name=prefix),
            ]  # fmt: skip
        return urls + super().get_urls()

    def _versions(self, object_id):
        return Version.objects.get_for_object_reference(self.model, object_id)

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        context = {"can_restore": self.has_restore_permission(request, obj)}
        return super().history_view(request, object_id, {**context, **(extra_context or {})})

    def revision_view(self, request, object_id, version_id, extra_context=None):
        object_id = unquote(object_id)
        obj = self.get_object(request, object_id)
        # The version must belong to this very object of this model.
        get_object_or_404(self._versions(object_id), pk=version_id)
        if obj is None or not self.has_restore_permission(request, obj):
            raise PermissionDenied
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        get_object_or_404(Version.objects.get_for_model(self.model), pk=version_id)
        if not self.has_restore_permission(request):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        if not self.has_restore_permission(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def changelist_view(self, request, extra_context=None):
        context = {"can_recover": self.has_restore_permission(request)}
        return super().changelist_view(request, {**context, **(extra_context or {})})

    def compare_view(self, request, object_id, version_id):
        """What one saved version changed, compared with the version before it (or,
        with ?with=current, how it differs from the object as it is now)."""
        object_id = unquote(object_id)
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = self._versions(object_id).select_related("revision__user")
        version = get_object_or_404(versions, pk=version_id)
        inline_models = self.inline_models()
        after = history.describe_version(version, inline_models)
        if request.GET.get("with") == "current":
            before, after = after, history.describe_object(obj, inline_models)
            previous = None
        else:
            previous = versions.filter(pk__lt=version.pk).order_by("-pk").first()
            before = history.describe_version(previous, inline_models) if previous else {}
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "object": obj,
            "version": version,
            "previous": previous,
            "against_current": request.GET.get("with") == "current",
            "changes": history.diff(before, after),
            "can_restore": self.has_restore_permission(request, obj),
            "title": gettext("Changes to %(name)s") % {"name": obj},
        }
        return TemplateResponse(request, "admin/airml/compare.html", context)

    def _keep_for_recovery(self, request, objs):
        """Record a version of each object (and its inline rows) right before deleting.

        Runs in a fresh context so the revision is saved now, while the objects still
        exist, even when the delete happens inside another revision block (bulk
        delete from the change list).
        """

        def record():
            with reversion.create_revision():
                reversion.set_user(request.user)
                reversion.set_comment(gettext("Deleted"))
                for obj in objs:
                    reversion.add_to_revision(obj)

        contextvars.Context().run(record)

    def delete_model(self, request, obj):
        self._keep_for_recovery(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self._keep_for_recovery(request, list(queryset))
        super().delete_queryset(request, queryset)

    # Saving ------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        """Save, and keep the old public URL working when the slug changed."""
        old_url = slug_redirects.public_url(obj) if change else None
        super().save_model(request, obj, form, change)
        if old_url is not None:
            slug_redirects.record_url_change(old_url, obj.get_absolute_url())

    # Conflict check ----------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = with_stored_uploads(kwargs.get("form", self.form))
        if obj is not None:
            form = conflict_checked_form(form, self)
        kwargs["form"] = form
        return super().get_form(request, obj, change=change, **kwargs)

    # Uploads -------------------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with discard_unsaved_uploads():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Every row is written; should the commit still fail, the exception it raises
        # out of changeform_view removes the files all the same.
        keep_uploads()

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.fieldsets:
            return fieldsets  # without declared fieldsets, the form's own fields are used
        first_name, first_options = fieldsets[0]
        fields = [*first_options["fields"], EDIT_BASE]
        return [(first_name, {**first_options, "fields": fields}), *fieldsets[1:]]

    def conflict_message(self, form, base, current):
        yours = history.describe_values(self.model, _form_values(form, self.model))
        rows = []
        for label in dict.fromkeys([*base, *current]):
            if base.get(label) == current.get(label):
                continue
            mine = yours.get(label, gettext("(see the rows below)"))
            rows.append((label, Truncator(current.get(label, "")).chars(300),
                         Truncator(mine).chars(300)))  # fmt: skip
        latest = self._versions(str(form.instance.pk)).select_related("revision__user").first()
        who = ""
        if latest is not None and latest.revision.user is not None:
            who = gettext(" (last saved by %(user)s)") % {"user": latest.revision.user}
        intro = gettext(
            "Someone else saved this %(name)s after you opened it%(who)s. Nothing was saved: "
            "your changes are still in the form below and theirs are in the history. Check "
            "what they changed, then save again to keep your version."
        ) % {"name": self.model._meta.verbose_name, "who": who}
        return format_html(
            '<p>{}</p><table class="edit-conflict"><thead><tr><th>{}</th><th>{}</th>'
            "<th>{}</th></tr></thead><tbody>{}</tbody></table>",
            intro, gettext("Field"), gettext("Saved by the other editor"), gettext("Yours"),
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )  # fmt: skip

    # Members -----------------------------------------------------------------------

    # The ORM path from this model to the User who owns a row (e.g. "user" for a
    # profile, "authorships__person__user" for a paper). Members see and change only
    # rows they own; without a path they see nothing.
    member_owner_lookup = None
    # Fields a member sees but may not change (groups, ordering, links to accounts).
    member_readonly_fields = ()

    # Members may pick rows of this model by typing (a paper's tags, directions and
    # projects) although they cannot open its admin: names only, for autocomplete.
    autocomplete_for_members = False

    def _member_autocomplete(self, request):
        match = request.resolver_match
        return (self.autocomplete_for_members and match is not None
                and match.url_name == "autocomplete" and request.user.is_staff)  # fmt: skip

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not is_member_only(request.user) or self._member_autocomplete(request):
            return queryset
        if not self.member_owner_lookup:
            return queryset.none()
        return queryset.filter(**{self.member_owner_lookup: request.user}).distinct()

    def is_owned_by_member(self, request, obj):
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def _object_allowed(self, request, obj, allowed):
        if allowed and obj is not None and is_member_only(request.user):
            return self.is_owned_by_member(request, obj)
        return allowed

    def has_view_permission(self, request, obj=None):
        if obj is None and self._member_autocomplete(request):
            return True
        return self._object_allowed(request, obj, super().has_view_permission(request, obj))

    def has_change_permission(self, request, obj=None):
        return self._object_allowed(request, obj, super().has_change_permission(request, obj))

    def has_delete_permission(self, request, obj=None):
        return self._object_allowed(request, obj, super().has_delete_permission(request, obj))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if is_member_only(request.user):
            fields += [name for name in self.member_readonly_fields if name not in fields]
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        readonly = set(self.get_readonly_fields(request, obj))
        return {
            name: sources
            for name, sources in super().get_prepopulated_fields(request, obj).items()
            if name not in readonly and not readonly.intersection(sources)
        }

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if is_member_only(request.user):
            changelist.list_editable = ()  # no bulk edits of ordering etc. for members
        return changelist


class InlineUploadsMixin:
    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = with_stored_uploads(kwargs.get("form", self.form))
        return super().get_formset(request, obj, **kwargs)


class TabularInline(EditorMixin, InlineUploadsMixin, admin.TabularInline):
    extra = 0


class StackedInline(EditorMixin, InlineUploadsMixin, admin.StackedInline):
    extra = 0


class SortableTabularInline(EditorMixin, SortableTabularInlineBase):
    """Rows ordered by dragging (django-admin-sortable2); the parent admin must be
    a `SortableAdminBase`."""

    extra = 0
    formset = SortableInlineFormSet


class SortableStackedInline(EditorMixin, SortableStackedInlineBase):
    extra = 0
    formset = SortableInlineFormSet


class ContentAdmin(ModelAdmin):
    """Base admin for published content: the publishing state (Draft, Scheduled for
    <time>, Published) as a column, a filter and a line of the form; actions."""

    list_filter = [PublishingStateFilter]
    actions = ["publish", "unpublish"]
    save_on_top = True
    # Whether a member may set status and publish time on content they own.
    member_can_publish = True

    @admin.display(description=_("publishing state"), ordering="publish_at")
    def publishing_state(self, obj):
        return publishing_state(obj)

    def get_list_display(self, request):
        return ["publishing_state" if name == "status" else name
                for name in super().get_list_display(request)]  # fmt: skip

    def get_list_filter(self, request):
        return [PublishingStateFilter if name == "status" else name
                for name in super().get_list_filter(request)]  # fmt: skip

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        shaped = []
        for name, options in fieldsets:
            fields = list(options["fields"])
            rows = [row if isinstance(row, list | tuple) else [row] for row in fields]
            at = next((i for i, row in enumerate(rows) if "status" in row), None)
            if at is not None and not any("publishing_state" in row for row in rows):
                fields.insert(at, "publishing_state")
            shaped.append((name, {**options, "fields": fields}))
        return shaped

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        slug = form.base_fields.get("slug")
        if slug is not None and hasattr(self.model, "get_absolute_url"):
            slug.help_text = slug_help_text(request, self.model, obj)
        return form

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        fields += [] if "publishing_state" in fields else ["publishing_state"]
        if is_member_only(request.user) and not self.member_can_publish:
            fields += [name for name in ("status", "publish_at") if name not in fields]
        return fields

    def has_publish_permission(self, request):
        if is_member_only(request.user) and not self.member_can_publish:
            return False
        return self.has_change_permission(request)

    def _set_status(self, request, queryset, status, comment):
        """Save each item (not a bulk update) so each change gets a history version."""
        count = 0
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(comment)
            for obj in queryset:
                obj.status = status
                obj.save(update_fields=["status", "modified"])
                count += 1
        self.message_user(
            request, gettext("%(count)d items changed.") % {"count": count}, messages.SUCCESS
        )

    @admin.action(description=_("Publish selected items"), permissions=["publish"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Status.PUBLISHED, gettext("Published"))

    @admin.action(description=_("Turn selected items into drafts"), permissions=["publish"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Status.DRAFT, gettext("Turned into a draft"))


# django-tasks-db's list of task results (its module registers it on import), with
# the run number airml.tasks passes: for Lab admins only (admin_site.LAB_ADMIN_ONLY).
class TaskResultAdmin(DBTaskResultAdmin):
    list_display = ("task_name", "run", "status", "enqueued_at", "run_after", "finished_at")
    search_fields = ("task_path", "exception_class_path")

    @admin.display(description=_("run"))
    def run(self, obj):
        return obj.args_kwargs.get("kwargs", {}).get("attempt", 1)


admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
