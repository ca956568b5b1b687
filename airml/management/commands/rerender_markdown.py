"""Render every stored Markdown field again through today's pipeline.

Run once after an upgrade that changes the sanitiser or the Markdown extensions:
HTML is rendered on save, so rows saved before keep the old rendering until then.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from airml.cache import bump_content_version
from airml.markdown import render_markdown
from airml.models import MarkdownModel


class Command(BaseCommand):
    help = "Render every Markdown field again with the current pipeline (sanitiser included)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, write nothing.")

    def handle(self, *args, dry_run=False, **options):
        changed = 0
        for model in apps.get_models():
            if not issubclass(model, MarkdownModel) or not model.markdown_fields:
                continue
            pairs = model.markdown_fields.items()
            fields = [name for pair in pairs for name in pair]
            rows = model._base_manager.values_list("pk", *fields)
            with transaction.atomic():
                for pk, *values in rows.iterator():
                    stored = dict(zip(fields, values, strict=True))
                    rendered = {target: render_markdown(stored[source]) for source, target in pairs}
                    fresh = {t: html for t, html in rendered.items() if html != stored[t]}
                    if fresh:
                        changed += 1
                        if not dry_run:
                            # update(): the text did not change, so neither do history
                            # nor modification times.
                            model._base_manager.filter(pk=pk).update(**fresh)
        if changed and not dry_run:
            bump_content_version()
        verb = "would change" if dry_run else "changed"
        self.stdout.write(f"{changed} rows {verb}.")
