"""Readable snapshots of an object (fields and inline rows) and the diff between two.

Used by the admin for two things: the conflict check (a stale form is compared with
the row as it is now) and the "Changes" view between two versions kept by
django-reversion. A snapshot maps a label ("Title", "Authors") to plain text.
"""

import difflib

from django.db import models
from django.utils.formats import localize
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


def editable_fields(model):
    """Fields an editor can change: concrete editable fields and plain M2M fields."""
    fields = []
    for field in model._meta.get_fields():
        if field.auto_created or not getattr(field, "editable", False) or field.primary_key:
            continue
        if field.many_to_many and not field.remote_field.through._meta.auto_created:
            continue
        if field.concrete or field.many_to_many:
            fields.append(field)
    return fields


def inline_relations(model, inline_models):
    """(label, accessor, related model, fk field) for each inline model of `model`."""
    relations = []
    for inline_model in inline_models:
        for field in inline_model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.remote_field.model is model:
                relations.append(
                    (capfirst(inline_model._meta.verbose_name_plural),
                     field.remote_field.get_accessor_name(), inline_model, field)
                )  # fmt: skip
                break
    return relations


def _display(field, value):
    if value is None or value == "":
        return ""
    if field.many_to_many:
        objs = field.related_model._default_manager.filter(pk__in=list(value))
        return "; ".join(sorted(str(obj) for obj in objs))
    if field.is_relation:
        obj = field.related_model._default_manager.filter(pk=value).first()
        return str(obj) if obj is not None else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(field, models.FileField):
        return str(getattr(value, "name", value) or "")
    return str(localize(value))


def _values_of(obj, fields):
    values = {}
    for field in fields:
        if field.many_to_many:
            values[field.attname] = sorted(o.pk for o in getattr(obj, field.name).all())
        else:
            values[field.attname] = getattr(obj, field.attname)
    return values


def describe_values(model, values):
    """Snapshot of the model's own fields from their values (attname -> value)."""
    snapshot = {}
    for field in editable_fields(model):
        if field.attname in values:
            snapshot[str(capfirst(field.verbose_name))] = _display(field, values[field.attname])
    return snapshot


def _row_text(inline_model, fk, values):
    parts = []
    for field in editable_fields(inline_model):
        if field.name == fk.name:
            continue
        text = _display(field, values.get(field.attname))
        if text:
            parts.append(text)
    return " · ".join(parts)


def _order_key(values):
    return (values.get("order") or 0, values.get("id") or 0)


def describe_object(obj, inline_models=()):
    """Snapshot of an object as it is in the database now."""
    model = type(obj)
    fields = editable_fields(model)
    snapshot = describe_values(model, _values_of(obj, fields))
    for label, accessor, inline_model, fk in inline_relations(model, inline_models):
        row_fields = editable_fields(inline_model)
        rows = []
        for row in getattr(obj, accessor).all():
            values = _values_of(row, row_fields)
            values["id"] = row.pk
            rows.append(values)
        rows.sort(key=_order_key)
        snapshot[str(label)] = "\n".join(_row_text(inline_model, fk, v) for v in rows)
    return snapshot


def describe_version(version, inline_models=()):
    """Snapshot of an object as one django-reversion Version recorded it."""
    model = version._model
    snapshot = describe_values(model, version.field_dict)
    relations = inline_relations(model, inline_models)
    if relations:
        siblings = list(version.revision.version_set.all())
    for label, _accessor, inline_model, fk in relations:
        rows = []
        for sibling in siblings:
            if sibling._model is not inline_model:
                continue
            values = sibling.field_dict
            if str(values.get(fk.attname)) == str(version.object_id):
                rows.append({**values, "id": values.get("id")})
        rows.sort(key=_order_key)
        snapshot[str(label)] = "\n".join(_row_text(inline_model, fk, v) for v in rows)
    return snapshot


def diff(before, after):
    """The changed entries between two snapshots, as dicts for the templates.

    Each: label, before, after, and `lines` (a line diff) for multi-line text.
    """
    changes = []
    for label in list(dict.fromkeys([*before, *after])):
        old, new = before.get(label, ""), after.get(label, "")
        if old == new:
            continue
        lines = []
        if "\n" in old or "\n" in new or len(old) + len(new) > 160:
            for line in difflib.ndiff(old.splitlines(), new.splitlines()):
                if line.startswith(("- ", "+ ")):
                    lines.append(("removed" if line[0] == "-" else "added", line[2:]))
        changes.append({"label": label, "before": old, "after": new, "lines": lines})
    return changes
