"""The three editing roles as auth groups (see airml/roles.py for what they mean).

Lab admin: every permission. Editor: add/change/delete/view on all content models,
not users, groups or site settings. Member: their own profile (with its links,
education, organisations) and the publications and news they author; which rows
they own is enforced by the admins, this migration only grants the model rights.
Running it again (or after new models) only adds what is missing.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_MODELS = {
    "people": ["person", "group", "sociallink", "education", "organisation"],
    "research": ["researchdirection", "publication", "authorship", "publicationlink",
                 "project", "projectlink", "tag"],
    "pages": ["page", "section", "sectionphoto", "newsitem", "menuitem"],
}  # fmt: skip
ALL = ("add", "change", "delete", "view")
MEMBER_PERMISSIONS = {
    "people": {"person": ("change", "view"), "sociallink": ALL, "education": ALL,
               "organisation": ALL},
    "research": {"publication": ("add", "change", "view"), "authorship": ALL,
                 "publicationlink": ALL},
    "pages": {"newsitem": ("add", "change", "view")},
}  # fmt: skip


def _permissions(Permission, spec):
    wanted = []
    for app_label, models in spec.items():
        for model, actions in models.items():
            wanted += [(app_label, f"{action}_{model}") for action in actions]
    found = []
    for app_label, codename in wanted:
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def create_roles(apps, schema_editor):
    alias = schema_editor.connection.alias
    for app_config in apps.get_app_configs():  # permissions of a fresh database
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=alias)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    lab_admin, _ = Group.objects.get_or_create(name="Lab admin")
    lab_admin.permissions.add(*Permission.objects.all())

    editor, _ = Group.objects.get_or_create(name="Editor")
    editor_spec = {app: {model: ALL for model in models} for app, models in CONTENT_MODELS.items()}
    editor.permissions.add(*_permissions(Permission, editor_spec))

    member, _ = Group.objects.get_or_create(name="Member")
    member.permissions.add(*_permissions(Permission, MEMBER_PERMISSIONS))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Lab admin", "Editor", "Member"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("people", "0001_initial"),
        ("research", "0001_initial"),
        ("pages", "0002_newsitem_authors"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
