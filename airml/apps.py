"""App configuration for the project package: shared template tags, cache receivers."""

from django.apps import AppConfig


class AirmlConfig(AppConfig):
    name = "airml"
    verbose_name = "AIR-ML portal"

    def ready(self):
        from airml import signals

        signals.connect()
