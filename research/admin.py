"""Admin for directions, publications (authors inline, in order), projects and tags."""

from django.contrib import admin

from airml.admin import ContentAdmin, ModelAdmin, TabularInline
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
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ResearchDirection)
class ResearchDirectionAdmin(ContentAdmin):
    list_display = ["title", "order", "status"]
    list_editable = ["order"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["people"]


class AuthorshipInline(TabularInline):
    model = Authorship
    autocomplete_fields = ["person"]
    fields = ["order", "person", "name", "note"]


class PublicationLinkInline(TabularInline):
    model = PublicationLink


@admin.register(Publication)
class PublicationAdmin(ContentAdmin):
    list_display = ["title", "date", "pub_type", "venue_short", "featured", "status"]
    list_filter = ["pub_type", "featured", "status", "directions", "tags"]
    search_fields = ["title", "slug", "venue", "abstract", "authorships__name",
                     "authorships__person__last_name", "doi"]  # fmt: skip
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["tags", "directions", "projects"]
    inlines = [AuthorshipInline, PublicationLinkInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "date", "pub_type", "venue", "venue_short",
                           "abstract", "summary", "featured", "image", "image_alt"]}),
        ("Links", {"fields": ["doi", "url_pdf", "url_code", "url_dataset", "url_project",
                              "url_poster", "url_slides", "url_video"]}),
        ("Relations", {"fields": ["directions", "projects", "tags"]}),
        ("Publishing", {"fields": ["status", "publish_at", "bibtex"]}),
    ]  # fmt: skip


class ProjectLinkInline(TabularInline):
    model = ProjectLink


@admin.register(Project)
class ProjectAdmin(ContentAdmin):
    list_display = ["title", "date", "featured", "order", "status"]
    list_editable = ["order"]
    list_filter = ["featured", "status", "directions"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["directions", "people", "tags"]
    inlines = [ProjectLinkInline]
