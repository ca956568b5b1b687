"""The site-wide template context: settings and menu, cached (two queries on a miss)."""

from django.core.cache import cache

from pages.models import SITE_CACHE_KEY, MenuItem, SiteSettings


def site(request):
    data = cache.get(SITE_CACHE_KEY)
    if data is None:
        data = {"site": SiteSettings.load(), "menu": list(MenuItem.objects.all())}
        cache.set(SITE_CACHE_KEY, data, 3600)
    path = request.path
    menu = [
        (item, path == item.url or (item.url not in ("", "/") and path.startswith(item.url)))
        for item in data["menu"]
    ]
    return {"site": data["site"], "menu": menu}
