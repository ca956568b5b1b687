"""Admin for site settings, menu, pages (sections inline) and contact messages.

Versions of a Page include its sections and their photos.
"""

import reversion
from adminsortable2.admin import SortableAdminBase
from django import forms
from django.contrib import admin
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from airml.admin import (
    ContentAdmin,
    ModelAdmin,
    SortableAdminMixin,
    SortableStackedInline,
    SortableTabularInline,
)
from pages import dashboard
from pages.branding import normalise, validate_accent_color
from pages.models import (
    ContactMessage,
    MenuItem,
    Page,
    Section,
    SectionPhoto,
    SiteLink,
    SiteSettings,
)

admin.site.branding = dashboard.branding
admin.site.dashboard = dashboard.dashboard
admin.site.add_view("content-health/", dashboard.content_health_view, "content_health")

# Registered before the admins so a Page's history follows sections and their photos.
reversion.register(SectionPhoto)
reversion.register(Section, follow=["photos"])
reversion.register(Page, follow=["sections"])


class SiteSettingsForm(forms.ModelForm):
    class Meta:
        model = SiteSettings
        fields = "__all__"  # noqa: DJ007 - the admin edits every setting

    def clean_accent_color(self):
        """A hex colour both themes stay readable with (pages.branding), as #rrggbb."""
        value = self.cleaned_data["accent_color"].strip()
        validate_accent_color(value)
        return normalise(value) if value else ""


@admin.register(SiteSettings)
class SiteSettingsAdmin(ModelAdmin):
    form = SiteSettingsForm

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        return redirect("admin:pages_sitesettings_change", SiteSettings.load().pk)


@admin.register(SiteLink)
class SiteLinkAdmin(SortableAdminMixin, ModelAdmin):
    list_display = ["order", "__str__", "kind", "url"]
    search_fields = ["label", "url"]


@admin.register(MenuItem)
class MenuItemAdmin(SortableAdminMixin, ModelAdmin):
    """Menu entries, dragged into order."""

    list_display = ["order", "label", "url"]
    list_editable = ["url"]
    search_fields = ["label", "url"]


class SectionInline(SortableStackedInline):
    model = Section
    show_change_link = True
    fields = [("kind", "is_visible"), "order", "title", "body", ("button_label", "button_url"),
              ("collection", "view", "count"), ("featured_only", "group", "direction",
                                                "publication_type"), ("tag", "person")]  # fmt: skip
    autocomplete_fields = ["tag", "person"]


@admin.register(Page)
class PageAdmin(SortableAdminBase, ContentAdmin):
    list_display = ["title", "slug", "collection", "view", "status"]
    list_filter = ["status", "collection"]
    search_fields = ["title", "slug", "body"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SectionInline]
    autocomplete_fields = ["tag", "person"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "subtitle", "body", "description"]}),
        (_("Listing after the text"), {"classes": ["collapse"], "fields": [
            ("collection", "view", "count"),
            ("featured_only", "group", "direction", "publication_type"), ("tag", "person")]}),
        (_("Publishing"), {"fields": [("status", "publish_at")]}),
    ]  # fmt: skip


class SectionPhotoInline(SortableTabularInline):
    model = SectionPhoto


@admin.register(Section)
class SectionAdmin(SortableAdminBase, ModelAdmin):
    list_display = ["__str__", "page", "kind", "order", "is_visible"]
    list_filter = ["kind", "page"]
    search_fields = ["title", "body", "page__title"]
    list_select_related = ["page"]
    inlines = [SectionPhotoInline]


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):  # not versioned: visitors' personal data
    """Messages from the contact form; unread first. Only 'read' can be changed."""

    list_display = ["__str__", "name", "email", "page", "created", "is_read"]
    list_filter = ["is_read", "created", "page"]
    search_fields = ["name", "email", "subject", "message"]
    date_hierarchy = "created"
    list_select_related = ["page"]
    readonly_fields = ["name", "email", "subject", "message", "page", "created"]
    fields = ["name", "email", "subject", "message", "page", "created", "is_read"]
    actions = ["mark_read", "mark_unread"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Mark selected messages as read"), permissions=["change"])
    def mark_read(self, request, queryset):
        count = queryset.update(is_read=True)
        text = ngettext("%d message marked as read.", "%d messages marked as read.", count)
        self.message_user(request, text % count)

    @admin.action(description=_("Mark selected messages as unread"), permissions=["change"])
    def mark_unread(self, request, queryset):
        count = queryset.update(is_read=False)
        text = ngettext("%d message marked as unread.", "%d messages marked as unread.", count)
        self.message_user(request, text % count)
