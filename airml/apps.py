"""App configuration for the project package (shared template tags)."""

from django.apps import AppConfig


class AirmlConfig(AppConfig):
    name = "airml"
    verbose_name = "AIR-ML portal"
