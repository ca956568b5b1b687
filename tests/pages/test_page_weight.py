"""The home page's HTML + CSS + JS stay under 60 KB as transferred (gzip), photos excluded."""

import gzip
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

from tests.factories import NewsFactory

pytestmark = pytest.mark.django_db
BUDGET_BYTES = 60 * 1024


def gzipped_size(data):
    return len(gzip.compress(data, compresslevel=6))


def test_home_page_html_css_and_js_under_60_kb_gzipped(client):
    call_command("load_seed", verbosity=0)  # the lab's real home page, menu and sections
    for i in range(20):
        NewsFactory(slug=f"news-{i}", title=f"A fairly long news headline number {i} " * 2)

    response = client.get("/")
    assert response.status_code == 200
    html = response.content
    assets = re.findall(
        rb'<link rel="stylesheet" href="([^"]+)"|<script src="([^"]+)"', html
    )  # fmt: skip
    paths = [(css or js).decode() for css, js in assets]
    sizes = {"html": gzipped_size(html)}
    for path in paths:
        found = finders.find(path.removeprefix(settings.STATIC_URL))
        assert found, path
        with open(found, "rb") as handle:
            sizes[path] = gzipped_size(handle.read())

    assert {"/static/css/site.css", "/static/js/site.js"} <= set(paths)
    assert sum(sizes.values()) < BUDGET_BYTES, sizes
