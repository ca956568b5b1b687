"""The site-wide template context: settings and menu, cached (two queries on a miss).

Cached under the content version (`airml.cache`), so it goes stale together with
the cached pages whenever any content, the settings or the menu change.
"""

from django.core.cache import cache

from airml.cache import content_version
from pages.models import SITE_CACHE_KEY, MenuItem, SiteSettings

# The last version's data, kept in this process too: data stored under a token
# never changes, and reading it from the shared file cache means unpickling models.
_latest = (None, None)


def site_data(request=None):
    """{"site": SiteSettings, "menu": [MenuItem]} for the current content version."""
    global _latest
    token = content_version(request)["token"]
    kept_token, data = _latest
    if kept_token == token:
        return data
    key = f"{SITE_CACHE_KEY}:{token}"
    data = cache.get(key)
    if data is None:
        data = {"site": SiteSettings.load(), "menu": list(MenuItem.objects.all())}
        cache.set(key, data, 3600)
    _latest = (token, data)
    return data


def site(request):
    data = site_data(request)
    path = request.path
    menu = [
        (item, path == item.url or (item.url not in ("", "/") and path.startswith(item.url)))
        for item in data["menu"]
    ]
    return {"site": data["site"], "menu": menu}
