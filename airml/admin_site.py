"""The lab's admin site: branded, with an editors' dashboard as its index.

`airml` imports no app, so the apps plug in what the site shows:
- `branding(request)` returns {"name", "logo_url"} (pages sets it from SiteSettings);
- `dashboard(request)` returns the index page's context (pages builds it);
- `LAB_ADMIN_ONLY` models (the security log, sites, import bookkeeping, account
  roles, background task results) are registered with a mixin that lets only Lab
  admins see them at all;
- `RENAMED` gives the index a clear name for models whose own name is ambiguous
  (there are two kinds of "Groups": account roles and the team page's groups).
"""

from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _

from airml.roles import is_lab_admin

LAB_ADMIN_ONLY = {
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "sites.site",
    "importers.importeditem",
    "auth.group",
    "django_tasks_database.dbtaskresult",
}
RENAMED = {
    "auth.group": _("Roles (what an account may edit)"),
    "people.group": _("Team groups"),
    "django_tasks_database.dbtaskresult": _("Background tasks (failed ones are tried again)"),
}


class LabAdminOnlyMixin:
    """Hides a model's admin from everyone but Lab admins (index, URLs, lookups)."""

    def has_module_permission(self, request):
        return is_lab_admin(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_lab_admin(request.user) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return is_lab_admin(request.user) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, *args):
        return is_lab_admin(request.user) and super().has_add_permission(request, *args)

    def has_delete_permission(self, request, obj=None):
        return is_lab_admin(request.user) and super().has_delete_permission(request, obj)


class AdminSite(admin.AdminSite):
    index_template = "admin/airml/dashboard.html"
    branding = None
    dashboard = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra_views = []  # (route, view, name): staff pages that belong to no model

    def add_view(self, route, view, name):
        self.extra_views.append((route, view, name))

    def get_urls(self):
        extra = [path(route, self.admin_view(view), name=name)
                 for route, view, name in self.extra_views]  # fmt: skip
        return extra + super().get_urls()

    def register(self, model_or_iterable, admin_class=None, **options):
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else model_or_iterable
        for model in models:
            cls = admin_class or admin.ModelAdmin
            if model._meta.label_lower in LAB_ADMIN_ONLY and not issubclass(cls, LabAdminOnlyMixin):
                cls = type(cls.__name__, (LabAdminOnlyMixin, cls), {"__module__": cls.__module__})
            super().register(model, cls, **options)

    def each_context(self, request):
        context = super().each_context(request)
        brand = self.branding(request) if self.branding else {}
        name = brand.get("name") or "AIR-ML Lab"
        context.update(
            site_header=_("%(name)s admin") % {"name": name},
            site_title=name,
            brand_name=name,
            brand_logo_url=brand.get("logo_url", ""),
        )
        return context

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            for entry in app["models"]:
                label = entry["model"]._meta.label_lower
                if label in RENAMED:
                    entry["name"] = RENAMED[label]
        return app_list

    def index(self, request, extra_context=None):
        context = self.dashboard(request) if self.dashboard else {}
        return super().index(request, {**context, **(extra_context or {})})
