"""App configuration for research; connects the receivers that re-format a person's papers."""

from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "research"
    verbose_name = "Research"

    def ready(self):
        from research import signals  # noqa: F401
