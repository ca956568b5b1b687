"""The three editing roles, as Django groups: defined in `ROLES`, synced after
every `migrate` (`sync_roles`, connected to `post_migrate` in `airml.apps`).

- Lab admin: everything, users and settings included.
- Editor: all content, but not users, groups or site settings.
- Member: only their own profile and the publications and news they author.

A new model needs no data migration: list it in `ROLES` and the next `migrate`
grants it (Lab admins get every permission there is without being told). The sync
only adds: a right a Lab admin granted a group by hand stays.

Admins ask `is_member_only(user)` to decide whether object-level ownership rules
apply. It fails closed: any staff account that is neither a superuser nor in the
Lab admin or Editor group is treated as a member.
"""

LAB_ADMIN = "Lab admin"
EDITOR = "Editor"
MEMBER = "Member"
FULL_ROLES = (LAB_ADMIN, EDITOR)

ALL = ("add", "change", "delete", "view")
EVERYTHING = "__all__"
# role -> {app label: {model: actions}}, or EVERYTHING. Which rows a Member owns
# is enforced by the admins; this only grants the model rights.
ROLES = {
    LAB_ADMIN: EVERYTHING,
    EDITOR: {
        "people": {model: ALL for model in ("person", "group", "sociallink", "education",
                                            "organisation")},
        "research": {model: ALL for model in ("researchdirection", "publication", "authorship",
                                              "publicationlink", "project", "projectlink",
                                              "tag")}
                    # The publication inbox: every member's items; the sync runs, read.
                    | {"inboxitem": ALL, "syncrun": ("view",)},
        "news": {"newsitem": ALL, "event": ALL},
        "pages": {"page": ALL, "section": ALL, "sectionphoto": ALL, "menuitem": ALL,
                  # Visitors' messages: read, mark read, delete; nobody adds them.
                  "contactmessage": ("view", "change", "delete")},
        # Slug changes made by editors create redirects; editors fix them too.
        "redirects": {"redirect": ALL},
    },
    MEMBER: {
        "people": {"person": ("change", "view"), "sociallink": ALL, "education": ALL,
                   "organisation": ALL},
        "research": {"publication": ("add", "change", "view"), "authorship": ALL,
                     "publicationlink": ALL,
                     "inboxitem": ("change", "view")},  # their own items (research.admin)
        "news": {"newsitem": ("add", "change", "view")},
    },
}  # fmt: skip


def role_permissions(Permission, spec, using="default"):
    """The Permission rows a role's entry in `ROLES` names (a missing one is an error:
    a typo in the table must not silently grant less)."""
    if spec == EVERYTHING:
        return list(Permission.objects.using(using))
    wanted = {(app_label, f"{action}_{model}")
              for app_label, models in spec.items()
              for model, actions in models.items() for action in actions}  # fmt: skip
    apps_named = {app_label for app_label, _codename in wanted}
    found = {(p.content_type.app_label, p.codename): p
             for p in Permission.objects.using(using)
             .filter(content_type__app_label__in=apps_named)
             .select_related("content_type")}  # fmt: skip
    missing = sorted(wanted - set(found))
    if missing:
        raise LookupError(f"ROLES names permissions that do not exist: {missing}")
    return [found[key] for key in sorted(wanted)]


def sync_roles(app_config=None, apps=None, using="default", verbosity=1, **kwargs):
    """Create the role groups and give each the permissions `ROLES` lists (only adds).

    Runs after `migrate` once per database, when the signal is sent for this app
    (`airml`); permissions of every app are created first, as Django would only do
    for the apps after this one later in the same signal.
    """
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    apps = apps or global_apps
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:  # auth not migrated in this database
        return
    for config in global_apps.get_app_configs():
        create_permissions(config, verbosity=0, interactive=False, using=using, apps=apps)
    for name, spec in ROLES.items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.add(*role_permissions(Permission, spec, using))


def role_names(user):
    """The user's group names, cached on the user object (one query per request)."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_airml_roles"):
        user._airml_roles = frozenset(user.groups.values_list("name", flat=True))
    return user._airml_roles


def is_member_only(user):
    """True for staff who may edit only what they own (their profile, their papers)."""
    if not user.is_authenticated or user.is_superuser:
        return False
    return not (role_names(user) & set(FULL_ROLES))


def is_lab_admin(user):
    """Superusers and the Lab admin group: the only ones who see the security log,
    sites, import bookkeeping and account roles."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or LAB_ADMIN in role_names(user)
