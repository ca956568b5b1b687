"""Moving models between apps without moving a row: the data side of the move.

A model that changes apps keeps its table (`Meta.db_table`) and the migrations move
only Django's state (`SeparateDatabaseAndState`). What names a model by its app
label moves with it here: its content type (so permissions, the roles holding
them, admin log entries, import records and django-reversion versions keep
pointing at the same row) and the model name inside each stored version's JSON (so
old versions can still be restored). Kept for the migrations that use it.
"""

from django.db import migrations


def move_content_types(apps, old_label, new_label, models):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Version = apps.get_model("reversion", "Version")
    for model in models:
        old = ContentType.objects.filter(app_label=old_label, model=model).first()
        if old is None:
            continue  # a database with no row of it yet: post_migrate creates one
        # One made meanwhile under the new label holds nothing yet (no row could use it).
        ContentType.objects.filter(app_label=new_label, model=model).delete()
        old.app_label = new_label
        old.save(update_fields=["app_label"])
        # Each version stores the object as dumpdata JSON, naming "<app>.<model>".
        before, after = f'"{old_label}.{model}"', f'"{new_label}.{model}"'
        for version in Version.objects.filter(content_type=old).only("serialized_data"):
            version.serialized_data = version.serialized_data.replace(before, after)
            version.save(update_fields=["serialized_data"])


def MoveContentTypes(old_label, new_label, models):  # noqa: N802 - used as an operation
    """A reversible RunPython that relabels `models`' content types and versions.

    Its migration must depend on contenttypes 0002 and reversion 0002."""

    def forwards(apps, schema_editor):
        move_content_types(apps, old_label, new_label, models)

    def backwards(apps, schema_editor):
        move_content_types(apps, new_label, old_label, models)

    return migrations.RunPython(forwards, backwards, elidable=False)
