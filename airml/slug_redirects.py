"""Old public URLs keep working when an editor changes a slug.

`record_url_change(old, new)` is the one place that turns a changed public URL into
a permanent redirect (django.contrib.redirects, listed in the admin under
"Redirects"). The shared admin save path calls it for every model with
`get_absolute_url`, so each public type (person, publication, project, direction,
news, event, page) behaves the same. Redirects that pointed at the old URL are
moved on to the new one (no chains), and a redirect away from the new URL is
dropped (the URL is live again).
"""

from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site


def public_url(obj):
    """The object's public path as stored in the database now, or None."""
    if obj.pk is None or not hasattr(obj, "get_absolute_url"):
        return None
    saved = type(obj)._default_manager.filter(pk=obj.pk).first()
    return saved.get_absolute_url() if saved is not None else None


def record_url_change(old_url, new_url):
    """Redirect `old_url` to `new_url` permanently; returns the Redirect or None."""
    if not old_url or not new_url or old_url == new_url or old_url == "/":
        return None
    site = Site.objects.get_current()
    Redirect.objects.filter(site=site, old_path=new_url).delete()
    Redirect.objects.filter(site=site, new_path=old_url).update(new_path=new_url)
    redirect, _created = Redirect.objects.update_or_create(
        site=site, old_path=old_url, defaults={"new_path": new_url}
    )
    return redirect
