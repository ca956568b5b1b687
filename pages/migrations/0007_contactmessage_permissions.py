"""Give the roles their rights on contact messages (added after the roles migration).

Editors may view, change (mark read/unread) and delete contact messages; nobody
adds them in the admin. Lab admins get every permission, as always. Members get
none: messages carry visitors' personal data.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_ACTIONS = ("view", "change", "delete")


def grant(apps, schema_editor):
    alias = schema_editor.connection.alias
    for app_config in apps.get_app_configs():  # permissions of a fresh database
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=alias)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    contact = Permission.objects.filter(
        content_type__app_label="pages",
        codename__in=[f"{action}_contactmessage" for action in EDITOR_ACTIONS],
    )
    for group in Group.objects.filter(name="Editor"):
        group.permissions.add(*contact)
    for group in Group.objects.filter(name="Lab admin"):
        group.permissions.add(*Permission.objects.all())


class Migration(migrations.Migration):
    dependencies = [("pages", "0006_contactmessage")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
