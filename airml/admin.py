"""Admin pieces shared by the apps: the Markdown editor with live preview."""

from django.contrib import admin
from django.db import models
from markdownx.widgets import AdminMarkdownxWidget


class EditorMixin:
    """Markdown source fields (see MarkdownModel) get the markdownx editor with live
    preview; links typed without a scheme are taken as https (Django 6's default)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in getattr(self.model, "markdown_fields", {}):
            kwargs["widget"] = AdminMarkdownxWidget
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ModelAdmin(EditorMixin, admin.ModelAdmin):
    pass


class TabularInline(EditorMixin, admin.TabularInline):
    extra = 0


class StackedInline(EditorMixin, admin.StackedInline):
    extra = 0


class ContentAdmin(ModelAdmin):
    """Base admin for published content: status columns, filters and actions."""

    list_filter = ["status"]
    actions = ["publish", "unpublish"]
    save_on_top = True

    @admin.action(description="Publish selected items")
    def publish(self, request, queryset):
        queryset.update(status="published")

    @admin.action(description="Turn selected items into drafts")
    def unpublish(self, request, queryset):
        queryset.update(status="draft")
