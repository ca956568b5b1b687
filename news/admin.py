"""Admin for news items and events.

A Member sees only the news items they are an author of, and is added as an author
of what they write.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from airml.admin import ContentAdmin
from airml.roles import is_member_only
from news.models import Event, NewsItem
from people.models import Person


@admin.register(NewsItem)
class NewsItemAdmin(ContentAdmin):
    list_display = ["title", "date", "featured", "status"]
    list_filter = ["status", "featured"]
    search_fields = ["title", "summary", "body"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["authors"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body", "image", "image_alt",
                           "authors", "featured"]}),
        (_("Publishing"), {"fields": ["status", "publish_at", "date"]}),
    ]  # fmt: skip
    member_owner_lookup = "authors__user"
    member_readonly_fields = ["featured"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if is_member_only(request.user):
            person = Person.objects.filter(user=request.user).first()
            if person is not None:
                form.instance.authors.add(person)


@admin.register(Event)
class EventAdmin(ContentAdmin):
    list_display = ["title", "date", "event_name", "location", "status"]
    list_filter = ["status", "featured"]
    search_fields = ["title", "event_name", "location", "summary"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["people"]
