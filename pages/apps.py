"""App configuration for pages; connects cache-invalidation signals."""

from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Site and pages"

    def ready(self):
        from pages import signals  # noqa: F401
