"""Small admin pieces that need no ModelAdmin: the publishing state an editor sees,
the slug help text with the real address, and drag-and-drop ordering that members
may not use. Re-exported by `airml.admin`."""

import adminsortable2.admin
from adminsortable2.admin import CustomInlineFormSet
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from airml.models import Status
from airml.roles import is_member_only


def publishing_state(obj, now=None):
    """What visitors get: Draft, Scheduled for <time>, or Published."""
    if obj.status != Status.PUBLISHED:
        return gettext("Draft")
    if obj.publish_at is not None and obj.publish_at > (now or timezone.now()):
        when = date_format(timezone.localtime(obj.publish_at), "DATETIME_FORMAT")
        return gettext("Scheduled for %(time)s") % {"time": when}
    return gettext("Published")


def slug_help_text(request, model, obj=None):
    """The real address a slug gives (the model's own help text may say more)."""
    placeholder = "slug-placeholder"
    if obj is not None and obj.pk is not None:
        url = request.build_absolute_uri(obj.get_absolute_url())
        text = format_html(gettext("Lives at {}. Changing the slug keeps the old address "
                                   "working (a redirect is added)."), url)  # fmt: skip
    else:
        url = request.build_absolute_uri(model(slug=placeholder).get_absolute_url())
        text = format_html(gettext("Will live at {}."), url.replace(placeholder, "<slug>"))
    if model._meta.model_name == "page":
        return format_html("{} {}", text, gettext("The slug “home” is the front page."))
    own = model._meta.get_field("slug").help_text
    return format_html("{} {}", own, text) if own else text


class PublishingStateFilter(admin.SimpleListFilter):
    title = _("publishing state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("draft", _("Draft")), ("scheduled", _("Scheduled")),
                ("published", _("Published"))]  # fmt: skip

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "draft":
            return queryset.exclude(status=Status.PUBLISHED)
        if self.value() == "scheduled":
            return queryset.filter(status=Status.PUBLISHED, publish_at__gt=now)
        if self.value() == "published":
            return queryset.filter(status=Status.PUBLISHED, publish_at__lte=now)
        return queryset


class SortableAdminMixin(adminsortable2.admin.SortableAdminMixin):
    """Drag-and-drop order in the change list; members (who may not change order) get
    neither the reorder endpoint nor the move actions."""

    def update_order(self, request):
        if is_member_only(request.user):
            raise PermissionDenied
        return super().update_order(request)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if is_member_only(request.user):
            for name in [name for name in actions if name.startswith("move_to_")]:
                actions.pop(name)
        return actions


class SortableInlineFormSet(CustomInlineFormSet):
    """django-admin-sortable2's formset, except that a posted order is kept as given
    (0 included: importers and tests post 0-based orders); only a new row without
    one goes to the end."""

    def save_new(self, form, commit=True):
        posted = form.cleaned_data.get(self.default_order_field)
        if posted is None:
            return super().save_new(form, commit)
        obj = BaseInlineFormSet.save_new(self, form, commit=False)
        setattr(obj, self.default_order_field, posted)
        if commit:
            obj.save()
            form.save_m2m()
        return obj
