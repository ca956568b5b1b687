"""The site-wide template context: settings, menu and the lab's links, cached (two
queries on a miss).

Cached under the content version (`airml.cache`), so it goes stale together with
the cached pages whenever any content, the settings or the menu change.
"""

from django.db.models import Value

from airml.cache import versioned_get, versioned_set
from pages.branding import icon_version
from pages.models import SITE_CACHE_KEY, MenuItem, SiteLink, SiteSettings


def site_data():
    """{"site": SiteSettings, "menu": [MenuItem], "site_links": [SiteLink]} for the
    current content version."""
    data, version = versioned_get(SITE_CACHE_KEY)
    if data is None:
        data = {"site": SiteSettings.load(), **_menu_and_links()}
        versioned_set(SITE_CACHE_KEY, version, data, 3600)
    return data


def _menu_and_links():
    """The menu and the lab's links in one query (a UNION), so the site context still
    costs two queries on a miss."""
    columns = ("source", "pk", "label", "url", "order", "kind")
    menu = MenuItem.objects.order_by().annotate(source=Value(0), kind=Value(""))
    links = SiteLink.objects.order_by().annotate(source=Value(1))
    rows = menu.values_list(*columns).union(links.values_list(*columns), all=True)
    rows = rows.order_by("source", "order", "pk")
    data = {"menu": [], "site_links": []}
    for source, pk, label, url, order, kind in rows:
        if source == 0:
            data["menu"].append(MenuItem(pk=pk, label=label, url=url, order=order))
        else:
            data["site_links"].append(SiteLink(pk=pk, label=label, url=url, order=order, kind=kind))
    return data


def site(request):
    data = site_data()
    path = request.path
    menu = [
        (item, path == item.url or (item.url not in ("", "/") and path.startswith(item.url)))
        for item in data["menu"]
    ]
    site_settings = data["site"]
    return {
        "site": site_settings,
        "menu": menu,
        "site_links": data["site_links"],
        # Busts browsers' caches of the icons and the palette when they change.
        "icon_version": icon_version(site_settings),
    }
