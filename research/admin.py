"""Admin for directions, publications (authors inline, in order), projects and tags.

A Member sees only the publications they are an author of (an Authorship linking
their Person) and must stay among the authors of what they save.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from airml.admin import ContentAdmin, ModelAdmin, TabularInline
from airml.roles import is_member_only
from people.models import Person
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


class AuthorshipFormSet(BaseInlineFormSet):
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


class AuthorshipInline(TabularInline):
    model = Authorship
    formset = AuthorshipFormSet
    autocomplete_fields = ["person"]
    fields = ["order", "person", "name", "note"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request_user = request.user
        formset.member_person = Person.objects.filter(user=request.user).first()
        return formset


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
    member_owner_lookup = "authorships__person__user"
    member_readonly_fields = ["featured"]


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
