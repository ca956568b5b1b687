"""The full-page cache: hits for visitors, invalidation on any content change (through
the admin too), nothing cached for staff, cookies, POSTs or the admin; ETag and 304s;
a shared file cache invalidated from another process."""

import datetime
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from airml.cache import VERSION_KEY, content_version
from news.models import NewsItem
from pages.models import MenuItem, SiteSettings
from research.models import Publication
from tests.admin_forms import add_inline_rows, admin_form_data, assert_saved
from tests.factories import (
    AuthorshipFactory,
    GroupFactory,
    NewsFactory,
    PersonFactory,
    PublicationFactory,
)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def visitor():
    return Client()


def get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response


def test_second_visit_is_served_from_the_cache_without_queries(visitor):
    SiteSettings.load()
    NewsFactory(title="First news", slug="first")

    first = get(visitor, "/news/")
    with CaptureQueriesContext(connection) as ctx:
        second = get(visitor, "/news/")

    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert ctx.captured_queries == []
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["Referrer-Policy"] == first["Referrer-Policy"] == "same-origin"


def test_a_model_save_delete_and_m2m_change_are_visible_on_the_next_request(visitor):
    news = NewsFactory(title="Old title", slug="n")
    assert "Old title" in get(visitor, "/news/").content.decode()

    news.title = "New title"
    news.save()
    assert "New title" in get(visitor, "/news/").content.decode()

    group = GroupFactory(name="Lab Members", slug="lab")
    person = PersonFactory(first_name="Grace", last_name="Hopper", slug="grace")
    assert "Lab Members" not in get(visitor, "/people/").content.decode()
    person.groups.add(group)  # m2m only
    assert "Lab Members" in get(visitor, "/people/").content.decode()

    news.delete()
    assert "New title" not in get(visitor, "/news/").content.decode()


def test_menu_and_site_settings_changes_reach_cached_pages(visitor):
    get(visitor, "/news/")
    MenuItem.objects.create(label="Brand new menu entry", url="/new/")
    assert "Brand new menu entry" in get(visitor, "/news/").content.decode()

    settings_row = SiteSettings.load()
    settings_row.name = "Renamed Lab"
    settings_row.save()
    assert "Renamed Lab" in get(visitor, "/news/").content.decode()


def test_admin_edit_with_inline_rows_is_visible_to_visitors_next(staff_client, visitor):
    publication = PublicationFactory(title="Cached Paper", slug="cached")
    AuthorshipFactory(publication=publication, name="First Author", order=0)
    assert "Second Author" not in get(visitor, "/publications/cached/").content.decode()
    assert "Cached Paper" in get(visitor, "/publications/").content.decode()

    url = f"/admin/research/publication/{publication.pk}/change/"
    data = admin_form_data(staff_client.get(url))
    data["title"] = "Edited In Admin"
    add_inline_rows(data, "authorships", [{"name": "Second Author", "order": "1"}])
    assert_saved(staff_client.post(url, data))

    detail = get(visitor, "/publications/cached/").content.decode()
    listing = get(visitor, "/publications/").content.decode()
    assert "Edited In Admin" in detail and "Second Author" in detail
    assert "Edited In Admin" in listing and "Cached Paper" not in listing


def test_admin_delete_is_visible_to_visitors_next(staff_client, visitor):
    news = NewsFactory(title="Doomed news", slug="doomed")
    assert "Doomed news" in get(visitor, "/news/").content.decode()

    response = staff_client.post(f"/admin/news/newsitem/{news.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not NewsItem.objects.filter(pk=news.pk).exists()
    assert "Doomed news" not in get(visitor, "/news/").content.decode()


def test_staff_previews_and_staff_pages_are_never_stored(staff_client, visitor):
    NewsFactory(title="Draft news", slug="draft", status="draft")

    preview = staff_client.get("/news/draft/")
    staff_listing = staff_client.get("/news/")

    assert preview.status_code == 200 and "X-Page-Cache" not in preview
    assert "X-Page-Cache" not in staff_listing
    assert visitor.get("/news/draft/").status_code == 404
    assert get(visitor, "/news/")["X-Page-Cache"] == "miss"


def test_posts_admin_unknown_parameters_and_cookie_responses_are_not_cached(visitor):
    get(visitor, "/news/?utm_source=x")
    assert "X-Page-Cache" not in get(visitor, "/news/?utm_source=x")
    assert visitor.post("/news/").status_code in (200, 405)
    login = visitor.get("/admin/login/")
    assert "X-Page-Cache" not in login and "csrftoken" in login.cookies
    # A visitor with a session (e.g. signed in) always gets a fresh page.
    visitor.cookies["sessionid"] = "whatever"
    assert "X-Page-Cache" not in get(visitor, "/news/")


def test_filtered_and_paged_listings_are_cached_separately(visitor):
    PublicationFactory(title="Paper from 2023", slug="p23", date=datetime.date(2023, 1, 1))
    PublicationFactory(title="Paper from 2024", slug="p24", date=datetime.date(2024, 1, 1))

    get(visitor, "/publications/?year=2023")
    cached_2023 = get(visitor, "/publications/?year=2023").content.decode()
    fresh_2024 = get(visitor, "/publications/?year=2024").content.decode()

    assert "Paper from 2023" in cached_2023 and "Paper from 2024" not in cached_2023
    assert "Paper from 2024" in fresh_2024 and "Paper from 2023" not in fresh_2024


def test_etag_last_modified_and_304s(visitor):
    NewsFactory(slug="n")
    first = get(visitor, "/news/")
    etag, last_modified = first["ETag"], first["Last-Modified"]

    assert last_modified == http_date(content_version()["time"])
    assert first["Cache-Control"] == "max-age=0"
    assert visitor.get("/news/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert visitor.get("/news/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304

    NewsFactory(slug="m", title="Later news")
    after_edit = visitor.get("/news/", HTTP_IF_NONE_MATCH=etag)
    assert after_edit.status_code == 200 and "Later news" in after_edit.content.decode()
    assert after_edit["ETag"] != etag


def test_scheduled_item_makes_cached_pages_stale_at_its_time(visitor, clock):
    SiteSettings.load()
    NewsFactory(title="Scheduled news", slug="s",
                publish_at=clock.now + datetime.timedelta(minutes=5))  # fmt: skip
    assert "Scheduled news" not in get(visitor, "/news/").content.decode()
    assert get(visitor, "/news/")["X-Page-Cache"] == "hit"

    clock.advance(minutes=5)

    assert "Scheduled news" in get(visitor, "/news/").content.decode()


def test_citation_refresh_without_signal_still_invalidates(visitor):
    publication = PublicationFactory(title="Cited", slug="cited")
    get(visitor, "/publications/")

    Publication.objects.filter(pk=publication.pk).update(title="Retitled")
    # An update() alone sends no signal; re-formatting the citation bumps the version.
    from research.citations import refresh_publication

    refresh_publication(Publication.objects.get(pk=publication.pk))
    assert "Retitled" in get(visitor, "/publications/").content.decode()


def test_file_cache_is_invalidated_by_another_process(tmp_path, visitor):
    """Several gunicorn workers share DJANGO_CACHE_DIR: an edit in one reaches all."""
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    SiteSettings.load()
    NewsFactory(title="Shared news", slug="shared")
    with override_settings(CACHES=caches):  # Django swaps the cache handler for us
        get(visitor, "/news/")
        assert get(visitor, "/news/")["X-Page-Cache"] == "hit"
        assert cache.get(VERSION_KEY) is not None

        # Another worker (a separate process) saves something: it drops the version.
        code = "from airml.cache import bump_content_version; bump_content_version()"
        env = {"DJANGO_CACHE_DIR": str(tmp_path / "cache"), "DJANGO_DEBUG": "1",
               "DJANGO_SETTINGS_MODULE": "airml.settings", "PATH": "/usr/bin:/bin"}  # fmt: skip
        command = [sys.executable, "-c", f"import django; django.setup(); {code}"]
        subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603

        assert cache.get(VERSION_KEY) is None
        assert get(visitor, "/news/")["X-Page-Cache"] == "miss"
