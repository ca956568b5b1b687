"""404, 500 and 503 pages in the site's look that need neither the database nor the
static manifest (a deploy that forgot collectstatic must still explain itself)."""

import re
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.template import loader
from django.test.utils import CaptureQueriesContext

from pages import views as page_views
from pages.models import SiteSettings

pytestmark = pytest.mark.django_db

MANIFEST = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


@pytest.fixture
def no_manifest(settings, tmp_path):
    """ManifestStaticFilesStorage over an empty STATIC_ROOT: no staticfiles.json."""
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST}}
    settings.STATIC_ROOT = tmp_path
    settings.DEBUG = False


def database_down(*args, **kwargs):
    raise OperationalError("connection refused")


@pytest.mark.parametrize(
    ("template", "title"),
    [("404.html", "Page not found"), ("500.html", "Something went wrong"),
     ("503.html", "Back in a moment")],
)  # fmt: skip
def test_error_pages_render_without_manifest_or_database(no_manifest, template, title,
                                                         django_assert_num_queries):  # fmt: skip
    with django_assert_num_queries(0):
        html = loader.get_template(template).render({"path": "/x/"})

    assert f"<h1>{title}</h1>" in html
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html  # the plain name
    assert '<header class="site-header">' in html and 'class="error-code"' in html


def test_500_page_is_served_when_the_manifest_is_missing(client, no_manifest):
    client.raise_request_exception = False
    with mock.patch.object(page_views.Page.objects, "visible_to", side_effect=ValueError("bug")):
        response = client.get("/research/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html and "/static/css/site.css" in html


def test_404_page_runs_no_context_processor_and_no_query_of_its_own(client):
    SiteSettings.load()  # as on any site (made on first use, which drops the version)
    client.get("/")  # the content version is known (the page cache asks for it)
    with (
        mock.patch("pages.context_processors.site", side_effect=AssertionError("queried")),
        CaptureQueriesContext(connection) as queries,
    ):
        response = client.get("/no/such/thing/")

    assert response.status_code == 404
    # Only the old-URL redirects are looked up (RedirectFallbackMiddleware), not the page.
    tables = {re.search(r'FROM "(\w+)"', q["sql"])[1] for q in queries.captured_queries}
    assert tables <= {"django_site", "django_redirect"}


def test_404_page_is_in_the_site_look_with_the_missing_path(client):
    response = client.get("/no/such/thing/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html and "<code>/no/such/thing/</code>" in html
    assert 'href="/search/"' in html and 'class="error-code">404<' in html
