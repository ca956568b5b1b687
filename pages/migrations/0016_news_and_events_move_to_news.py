"""News items and events now live in `news` (news/migrations/0001_initial.py): they
leave this app's state only; their tables stay, with every row."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0015_collection_tag_and_person"),
        ("news", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="newsitem",
                    name="authors",
                ),
                migrations.DeleteModel(
                    name="Event",
                ),
                migrations.DeleteModel(
                    name="NewsItem",
                ),
            ]
        ),
    ]
