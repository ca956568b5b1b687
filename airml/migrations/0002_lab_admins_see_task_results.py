"""Lab admins see the background tasks' results (failed runs and their tracebacks).

The Lab admin role got every permission that existed when it was created
(pages.0003_roles); django-tasks-db's table may have come after it. Only viewing:
the admin offers no edit of a task result anyway.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    alias = schema_editor.connection.alias
    for app_config in apps.get_app_configs():  # permissions of a fresh database
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=alias)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.filter(
        content_type__app_label="django_tasks_database", codename="view_dbtaskresult"
    )
    for group in Group.objects.filter(name="Lab admin"):
        group.permissions.add(*view)


class Migration(migrations.Migration):
    dependencies = [
        ("airml", "0001_linkcheck"),
        ("pages", "0003_roles"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
