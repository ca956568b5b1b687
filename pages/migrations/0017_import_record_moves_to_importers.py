"""The import record now lives in `importers` (importers/migrations/0001_initial.py):
it leaves this app's state only; its table stays, with every row."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0016_news_and_events_move_to_news"),
        ("importers", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ImportedItem")]
        ),
    ]
