"""The import record moves here from `pages`: the same table, every row kept (only
Django's state moves; what names the model by its app label moves with it, see
`airml.moves`)."""

import django.db.models.deletion
from django.db import migrations, models

from airml.moves import MoveContentTypes


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
        ("pages", "0016_news_and_events_move_to_news"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportedItem",
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
                            "source",
                            models.CharField(max_length=500, unique=True, verbose_name="source"),
                        ),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("checksum", models.CharField(max_length=64)),
                        ("imported_at", models.DateTimeField(auto_now=True)),
                        (
                            "content_type",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to="contenttypes.contenttype",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "imported item",
                        "db_table": "pages_importeditem",
                    },
                ),
            ]
        ),
        MoveContentTypes("pages", "importers", ["importeditem"]),
    ]
