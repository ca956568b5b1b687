"""App configuration for the project package: shared template tags, cache receivers."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AirmlConfig(AppConfig):
    default = True
    name = "airml"
    verbose_name = "AIR-ML portal"

    def ready(self):
        from airml import signals

        signals.connect()


class AirmlAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the lab's site (branding, dashboard, roles)."""

    default = False
    default_site = "airml.admin_site.AdminSite"
