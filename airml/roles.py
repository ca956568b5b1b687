"""The three editing roles, as Django groups created by a data migration.

- Lab admin: everything, users and settings included.
- Editor: all content, but not users, groups or site settings.
- Member: only their own profile and the publications and news they author.

Admins ask `is_member_only(user)` to decide whether object-level ownership rules
apply. It fails closed: any staff account that is neither a superuser nor in the
Lab admin or Editor group is treated as a member.
"""

LAB_ADMIN = "Lab admin"
EDITOR = "Editor"
MEMBER = "Member"
FULL_ROLES = (LAB_ADMIN, EDITOR)


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
