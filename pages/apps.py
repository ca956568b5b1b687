"""App configuration for pages: Pages in the site search, and the
standard listing pages as the search page's "Browse" links."""

from django.apps import AppConfig
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Site and pages"

    def ready(self):
        from pages.models import DEFAULT_PAGES, Page
        from search.registry import Kind, add_browse_links, register

        register(Kind(
            "pages", _("Pages"), Page,
            {"title": "A", "subtitle": "A", "description": "B", "body": "C"},
            ("description", "body_html"), ("title",), ("slug", "title"),
        ))  # fmt: skip
        add_browse_links(
            (title, reverse_lazy("pages:page_detail", kwargs={"slug": slug}))
            for slug, (title, _collection, _view) in DEFAULT_PAGES.items()
        )
