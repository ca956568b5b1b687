"""Receivers that make cached pages stale when public content changes.

Connected for every model (in `AirmlConfig.ready`) and filtered by app label, so
`airml` needs to know no app: the apps are listed in `settings.CONTENT_CACHE_APPS`.
Models there that visitors never see (contact messages, import records) say so with
`shown_to_visitors = False`: saving them leaves cached pages valid.
Inline rows, many-to-many changes and deletes all count. Inside a transaction the
version is dropped at once and again on commit, so a page rendered by another
worker before the commit cannot stay cached under the new version.
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from airml.cache import bump_content_version

M2M_CHANGES = {"post_add", "post_remove", "post_clear"}


def _is_content(sender):
    meta = getattr(sender, "_meta", None)
    return (
        meta is not None
        and meta.app_label in settings.CONTENT_CACHE_APPS
        and getattr(sender, "shown_to_visitors", True)
    )


def _changed(using=None):
    bump_content_version()
    connection = transaction.get_connection(using)
    if connection.in_atomic_block:
        transaction.on_commit(bump_content_version, using=using)


def content_saved(sender, using=None, **kwargs):
    if _is_content(sender):
        _changed(using)


def content_m2m_changed(sender, action, using=None, **kwargs):
    if action in M2M_CHANGES and _is_content(sender):
        _changed(using)


def connect():
    post_save.connect(content_saved, dispatch_uid="airml-content-saved")
    post_delete.connect(content_saved, dispatch_uid="airml-content-deleted")
    m2m_changed.connect(content_m2m_changed, dispatch_uid="airml-content-m2m")
