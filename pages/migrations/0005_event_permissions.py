"""Give the roles their rights on events (added after the roles migration).

Editors and Lab admins may manage events; Lab admins also see the import record
and the redirects that `import_hugo` creates.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ALL = ("add", "change", "delete", "view")


def grant(apps, schema_editor):
    alias = schema_editor.connection.alias
    for app_config in apps.get_app_configs():  # permissions of a fresh database
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=alias)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    event = Permission.objects.filter(
        content_type__app_label="pages", codename__in=[f"{a}_event" for a in ALL]
    )
    for group in Group.objects.filter(name="Editor"):
        group.permissions.add(*event)
    for group in Group.objects.filter(name="Lab admin"):
        group.permissions.add(*Permission.objects.all())


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0004_events_and_imports"),
        ("redirects", "0002_alter_redirect_new_path_help_text"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
