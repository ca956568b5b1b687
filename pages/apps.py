"""App configuration for pages; connects its receivers (news drafts, search documents)."""

from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Site and pages"

    def ready(self):
        from pages import signals  # noqa: F401
