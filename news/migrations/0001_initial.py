"""News items and events move here from `pages`: the same tables, every row kept.

Only Django's state moves (`SeparateDatabaseAndState`): the models keep their tables
(`pages_newsitem`, `pages_event`, and their M2M tables), their indexes and stored
search documents. What names a model by its app label moves with it (`airml.moves`).
"""

import django.contrib.postgres.search
import django.utils.timezone
from django.db import migrations, models

import airml.images
import airml.models
from airml.moves import MoveContentTypes


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("people", "0004_person_listed"),
        ("pages", "0014_link_fields_take_site_paths"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Event",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "created",
                            models.DateTimeField(auto_now_add=True, verbose_name="created"),
                        ),
                        ("modified", models.DateTimeField(auto_now=True, verbose_name="modified")),
                        (
                            "status",
                            models.CharField(
                                choices=[("draft", "Draft"), ("published", "Published")],
                                db_index=True,
                                default="published",
                                help_text="Drafts are visible only to signed-in staff, as a marked preview.",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "publish_at",
                            models.DateTimeField(
                                db_index=True,
                                default=django.utils.timezone.now,
                                help_text="A published item appears on the site from this moment on.",
                                verbose_name="publish at",
                            ),
                        ),
                        ("title", models.CharField(max_length=250, verbose_name="title")),
                        (
                            "slug",
                            models.SlugField(max_length=120, unique=True, verbose_name="slug"),
                        ),
                        (
                            "event_name",
                            models.CharField(
                                blank=True,
                                help_text="E.g. the conference's name.",
                                max_length=250,
                                verbose_name="event",
                            ),
                        ),
                        (
                            "event_url",
                            models.URLField(blank=True, max_length=500, verbose_name="event link"),
                        ),
                        (
                            "location",
                            models.CharField(blank=True, max_length=250, verbose_name="location"),
                        ),
                        ("address", models.TextField(blank=True, verbose_name="address")),
                        ("date", models.DateTimeField(verbose_name="starts")),
                        (
                            "date_end",
                            models.DateTimeField(blank=True, null=True, verbose_name="ends"),
                        ),
                        ("all_day", models.BooleanField(default=False, verbose_name="all day")),
                        ("summary", models.TextField(blank=True, verbose_name="summary")),
                        (
                            "abstract",
                            models.TextField(blank=True, verbose_name="abstract (Markdown)"),
                        ),
                        ("abstract_html", models.TextField(blank=True, editable=False)),
                        ("body", models.TextField(blank=True, verbose_name="text (Markdown)")),
                        ("body_html", models.TextField(blank=True, editable=False)),
                        (
                            "image",
                            airml.images.SafeImageField(
                                blank=True, upload_to="events/", verbose_name="image"
                            ),
                        ),
                        (
                            "image_alt",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="image description"
                            ),
                        ),
                        (
                            "url_pdf",
                            airml.models.LinkField(
                                blank=True, max_length=500, verbose_name="PDF link"
                            ),
                        ),
                        (
                            "url_slides",
                            airml.models.LinkField(
                                blank=True, max_length=500, verbose_name="slides link"
                            ),
                        ),
                        (
                            "url_video",
                            airml.models.LinkField(
                                blank=True, max_length=500, verbose_name="video link"
                            ),
                        ),
                        (
                            "url_code",
                            airml.models.LinkField(
                                blank=True, max_length=500, verbose_name="code link"
                            ),
                        ),
                        ("featured", models.BooleanField(default=False, verbose_name="featured")),
                        (
                            "search_document",
                            django.contrib.postgres.search.SearchVectorField(
                                editable=False, null=True, serialize=False
                            ),
                        ),
                        (
                            "people",
                            models.ManyToManyField(
                                blank=True, related_name="events", to="people.person"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "event",
                        "db_table": "pages_event",
                        "ordering": ["-date", "-pk"],
                        "indexes": [models.Index(fields=["status", "date"], name="event_listing")],
                    },
                    bases=(airml.images.AltTextRequiredMixin, models.Model),
                ),
                migrations.CreateModel(
                    name="NewsItem",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "created",
                            models.DateTimeField(auto_now_add=True, verbose_name="created"),
                        ),
                        ("modified", models.DateTimeField(auto_now=True, verbose_name="modified")),
                        (
                            "status",
                            models.CharField(
                                choices=[("draft", "Draft"), ("published", "Published")],
                                db_index=True,
                                default="published",
                                help_text="Drafts are visible only to signed-in staff, as a marked preview.",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "publish_at",
                            models.DateTimeField(
                                db_index=True,
                                default=django.utils.timezone.now,
                                help_text="A published item appears on the site from this moment on.",
                                verbose_name="publish at",
                            ),
                        ),
                        ("title", models.CharField(max_length=250, verbose_name="title")),
                        (
                            "slug",
                            models.SlugField(max_length=120, unique=True, verbose_name="slug"),
                        ),
                        (
                            "date",
                            models.DateField(
                                blank=True,
                                help_text="Leave empty to use the day of “publish at”. Set it to back-date an item.",
                                verbose_name="date shown",
                            ),
                        ),
                        ("summary", models.TextField(blank=True, verbose_name="summary")),
                        ("body", models.TextField(blank=True, verbose_name="text (Markdown)")),
                        ("body_html", models.TextField(blank=True, editable=False)),
                        (
                            "image",
                            airml.images.SafeImageField(
                                blank=True, upload_to="news/", verbose_name="image"
                            ),
                        ),
                        (
                            "image_alt",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="image description"
                            ),
                        ),
                        ("featured", models.BooleanField(default=False, verbose_name="featured")),
                        (
                            "search_document",
                            django.contrib.postgres.search.SearchVectorField(
                                editable=False, null=True, serialize=False
                            ),
                        ),
                        (
                            "authors",
                            models.ManyToManyField(
                                blank=True,
                                help_text="Lab members who wrote this item; they may edit it themselves.",
                                related_name="news_items",
                                to="people.person",
                                verbose_name="authors",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "news item",
                        "db_table": "pages_newsitem",
                        "ordering": ["-date", "-pk"],
                        "indexes": [
                            models.Index(fields=["status", "date"], name="newsitem_listing")
                        ],
                    },
                    bases=(airml.images.AltTextRequiredMixin, models.Model),
                ),
            ]
        ),
        MoveContentTypes("pages", "news", ["newsitem", "event"]),
    ]
