"""Admin for the import record (read-only; Lab admins only, see `airml.admin_site`)."""

from django.contrib import admin

from importers.models import ImportedItem


@admin.register(ImportedItem)
class ImportedItemAdmin(admin.ModelAdmin):  # not versioned: bookkeeping only
    """Read-only record of what `import_hugo` created from which file."""

    list_display = ["source", "content_type", "object_id", "imported_at"]
    list_filter = ["content_type"]
    search_fields = ["source"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
