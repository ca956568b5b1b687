"""App configuration for the project package: shared template tags, cache receivers,
and the roles synced after every `migrate`."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class AirmlConfig(AppConfig):
    default = True
    name = "airml"
    verbose_name = "AIR-ML portal"

    def ready(self):
        from airml import signals
        from airml.roles import sync_roles

        signals.connect()
        post_migrate.connect(sync_roles, sender=self, dispatch_uid="airml-sync-roles")


class AirmlAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the lab's site (branding, dashboard, roles)."""

    default = False
    default_site = "airml.admin_site.AdminSite"
