"""App configuration for people: its receivers, and people in the site search."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People"

    def ready(self):
        from people import signals  # noqa: F401
        from people.models import Person
        from search.registry import Kind, register

        register(Kind(
            "people", _("People"), Person,
            {"display_name": "A", "first_name": "A", "last_name": "A", "role": "B",
             "interests": "B", "short_bio": "C", "bio": "C"},
            ("short_bio", "bio_html", "interests"), ("order", "last_name", "first_name"),
            ("slug", "display_name", "first_name", "last_name", "role"),
            title="name", meta=lambda person: person.role,
        ))  # fmt: skip
