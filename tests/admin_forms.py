"""Fill in the admin's own add/change forms (with inlines) as a browser would submit them."""

import datetime

from django.forms import CheckboxInput, FileField, MultiWidget


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return value


def form_data(form):
    data = {}
    for name, field in form.fields.items():
        if isinstance(field, FileField):
            continue
        key = form.add_prefix(name)
        value = form[name].value()
        widget = getattr(field.widget, "widget", field.widget)  # admin's related wrapper
        if isinstance(widget, MultiWidget):
            parts = value if isinstance(value, list | tuple) else widget.decompress(value)
            for i, part in enumerate(parts):  # a bound form (re-shown) holds the parts
                data[f"{key}_{i}"] = "" if part is None else _plain(part)
        elif isinstance(widget, CheckboxInput):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [_plain(v) for v in value]
        elif value is not None:
            data[key] = _plain(value)
    return data


def admin_form_data(response):
    """Everything the admin page's form would post unchanged, inlines included."""
    assert response.status_code == 200
    context = response.context
    data = form_data(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(form_data(formset.management_form))
        for form in formset.forms:
            data.update(form_data(form))
    return data


def add_inline_rows(data, prefix, rows):
    """Append new inline rows (dicts of field values) to a formset's posted data."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    for i, row in enumerate(rows, start=total):
        for name, value in row.items():
            data[f"{prefix}-{i}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(total + len(rows))
    return data


def assert_saved(response):
    """A successful admin save redirects; otherwise show the form errors."""
    if response.status_code != 302:
        errors = []
        context = response.context
        if context and "adminform" in context:
            errors.append(context["adminform"].form.errors)
            errors += [inline.formset.errors for inline in context["inline_admin_formsets"]]
        raise AssertionError(f"admin did not save: {errors}")


def admin_url(obj, view="change"):
    """The admin URL of one object's change (or preview, history, delete) view."""
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/{view}/"
