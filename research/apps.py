"""App configuration for research: the receivers that re-format a person's papers, and
publications, projects and research directions in the site search."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def publication_meta(publication):
    venue = publication.venue_short or publication.venue
    return f"{venue}, {publication.year_label}" if venue else publication.year_label


def project_meta(project):
    return str(project.date.year) if project.date else ""


class ResearchConfig(AppConfig):
    name = "research"
    verbose_name = "Research"

    def ready(self):
        from research import signals  # noqa: F401
        from research.models import Project, Publication, ResearchDirection
        from search.registry import Kind, register

        register(
            Kind(
                "publications",
                _("Publications"),
                Publication,
                {"title": "A", "venue": "B", "venue_short": "B", "abstract": "C", "summary": "C"},
                ("summary", "abstract_html"),
                ("-date", "title"),
                ("slug", "title", "date", "venue", "venue_short"),
                more_url="/publications/",
                meta=publication_meta,
            )
        )
        register(
            Kind(
                "projects",
                _("Projects"),
                Project,
                {"title": "A", "summary": "C", "body": "C"},
                ("summary", "body_html"),
                ("-date", "title"),
                ("slug", "title", "date"),
                meta=project_meta,
            )
        )
        register(Kind(
            "directions", _("Research directions"), ResearchDirection,
            {"title": "A", "summary": "C", "body": "C"},
            ("summary_html", "body_html"), ("order", "title"), ("slug", "title"),
        ))  # fmt: skip
