"""Editors see and fix the redirects that slug changes create (Lab admins already may).

Changing a public item's slug in the admin adds a redirect from its old address;
editors make those changes, so they get the rights on redirects too.
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
    redirect = Permission.objects.filter(
        content_type__app_label="redirects", codename__in=[f"{a}_redirect" for a in ALL]
    )
    for group in Group.objects.filter(name="Editor"):
        group.permissions.add(*redirect)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0012_newsitem_date_defaults_to_publish_day"),
        ("redirects", "0002_alter_redirect_new_path_help_text"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
