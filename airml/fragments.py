"""Parts of listings kept, once rendered, for as long as what they show is unchanged.

A people page prints every member and a publication list fifty citations; rendering
such a part costs 0.1 ms, a page of them 5-20 ms. Each worker keeps the parts it has
rendered, keyed by the object's id and `modified` time (plus any stored values the
part shows that can change without a save, and the language and URL prefix): an
edit of the object makes a new key, while edits of anything else, which make the
page cache stale, leave these parts valid. Old keys are dropped wholesale when the
store is full (a few MB at most).

The one per-process layer left, because it pays: `bench/site.py` at 100x data
(SQLite, 2 busy cores), median with these parts kept vs. without ("unkept"), on
this code: people 81 vs 598 ms (7.4x), publications 155 vs 503 ms (3.2x), filtered
publications 118 vs 384 ms (3.3x), a direction 54 vs 148 ms (2.8x), a project 63
vs 148 ms (2.3x); a person's page 1.8x (docs/benchmarks.md). Its keys hold the
object's `modified` time, so an edit on any server makes a new key everywhere:
nothing here can go stale across servers.
"""

from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.translation import get_language

MAX_PARTS = 10_000
_parts = {}


def render_kept(template_name, obj, name="item", version=(), **context):
    """`template_name` rendered with `obj` as `name` (and `context`), kept per version."""
    if obj.pk is None:
        return get_template(template_name).render({name: obj, **context})
    key = (template_name, obj.pk, obj.modified, *version, *sorted(context.items()),
           get_language(), get_script_prefix())  # fmt: skip
    html = _parts.get(key)
    if html is None:
        if len(_parts) >= MAX_PARTS:
            _parts.clear()
        html = _parts[key] = get_template(template_name).render({name: obj, **context})
    return html


def clear():
    _parts.clear()
