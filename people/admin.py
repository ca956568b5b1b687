"""Admin for people and groups, with social links, education and organisations inline.

A Member (see airml/roles.py) sees only the profile linked to their account and may
not change what the lab decides: groups, membership, order, status, the account link.
"""

from django.contrib import admin
from django.db.models import Count

from airml.admin import ContentAdmin, ModelAdmin, TabularInline
from people.models import Education, Group, Organisation, Person, SocialLink


class SocialLinkInline(TabularInline):
    model = SocialLink


class EducationInline(TabularInline):
    model = Education


class OrganisationInline(TabularInline):
    model = Organisation


@admin.register(Group)
class GroupAdmin(ModelAdmin):
    list_display = ["name", "order", "view", "member_count"]
    list_editable = ["order", "view"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(members=Count("people"))

    @admin.display(description="people", ordering="members")
    def member_count(self, obj):
        return obj.members


@admin.register(Person)
class PersonAdmin(ContentAdmin):
    list_display = ["name", "role", "membership", "member_status", "order", "status"]
    list_editable = ["order"]
    list_filter = ["member_status", "membership", "groups", "status"]
    search_fields = ["first_name", "last_name", "display_name", "role", "email", "aliases"]
    prepopulated_fields = {"slug": ["first_name", "last_name"]}
    filter_horizontal = ["groups"]
    inlines = [SocialLinkInline, EducationInline, OrganisationInline]
    fieldsets = [
        (None, {"fields": ["first_name", "last_name", "display_name", "slug", "role",
                           "avatar", "avatar_alt", "short_bio", "bio", "interests", "email"]}),
        ("Membership", {"fields": ["membership", "member_status", "groups", "order",
                                   "start_date", "end_date", "co_advisors", "now_at",
                                   "now_at_url"]}),
        ("Publishing", {"fields": ["status", "publish_at", "aliases", "user"]}),
    ]  # fmt: skip
    autocomplete_fields = ["user"]
    member_owner_lookup = "user"
    member_readonly_fields = ["slug", "user", "groups", "membership", "member_status", "order",
                              "start_date", "end_date"]  # fmt: skip
    member_can_publish = False

    def get_queryset(self, request):
        match = request.resolver_match
        if match is not None and match.url_name == "autocomplete":
            # Picking co-authors: a member may choose any person (names only).
            return super(ModelAdmin, self).get_queryset(request)
        return super().get_queryset(request)
