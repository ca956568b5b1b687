"""Admin for people and groups, with social links, education and organisations inline.

A Member (see airml/roles.py) sees only the profile linked to their account and may
not change what the lab decides: groups, membership, order, status, the account link.
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from airml.admin import ContentAdmin, ModelAdmin, SortableAdminMixin, SortableTabularInline
from people.models import Education, Group, Organisation, Person, SocialLink


class SocialLinkInline(SortableTabularInline):
    model = SocialLink


class EducationInline(SortableTabularInline):
    model = Education


class OrganisationInline(SortableTabularInline):
    model = Organisation


@admin.register(Group)
class GroupAdmin(SortableAdminMixin, ModelAdmin):
    """The team page's groups ("Team groups" in the index: not account roles)."""

    list_display = ["name", "order", "view", "member_count"]
    list_editable = ["view"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        queryset = super().get_queryset(request).annotate(members=Count("people"))
        return queryset.order_by("order", "name")

    @admin.display(description="people", ordering="members")
    def member_count(self, obj):
        return obj.members


@admin.register(Person)
class PersonAdmin(SortableAdminMixin, ContentAdmin):
    """People, dragged into the order they have within their groups."""

    list_display = ["order", "name", "role", "membership", "member_status", "status"]
    list_filter = ["member_status", "listed", "membership", "groups", "status"]
    search_fields = ["first_name", "last_name", "display_name", "role", "email", "aliases"]
    prepopulated_fields = {"slug": ["first_name", "last_name"]}
    inlines = [SocialLinkInline, EducationInline, OrganisationInline]
    fieldsets = [
        (None, {"fields": [("first_name", "last_name"), "display_name", "slug", "role",
                           ("avatar", "avatar_alt"), "short_bio", "bio", "interests",
                           "email"]}),
        (_("Publications from ORCID and OpenAlex"), {"fields": [("orcid", "openalex_id")]}),
        (_("Membership"), {"fields": [("membership", "member_status"), "listed", "groups",
                                      ("start_date", "end_date"), "co_advisors",
                                      ("now_at", "now_at_url")]}),
        (_("Publishing"), {"fields": [("status", "publish_at")]}),
        (_("Account and name variants"), {"classes": ["collapse"],
                                          "fields": ["user", "aliases"]}),
    ]  # fmt: skip
    autocomplete_fields = ["user", "groups"]
    member_owner_lookup = "user"
    member_readonly_fields = ["slug", "user", "groups", "membership", "member_status", "listed",
                              "order", "start_date", "end_date"]  # fmt: skip
    member_can_publish = False

    def get_queryset(self, request):
        match = request.resolver_match
        if match is not None and match.url_name == "autocomplete":
            # Picking co-authors: a member may choose any person (names only).
            return super(ModelAdmin, self).get_queryset(request)
        return super().get_queryset(request)
