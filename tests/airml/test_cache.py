"""The full-page cache: hits for visitors, invalidation on any content change (through
the admin too) but not on content visitors never see, nothing cached for staff,
cookies, POSTs or the admin; ETag and 304s; Redis stopped means uncached pages, Redis
back means cached again."""

import datetime
import time
from urllib.parse import urlsplit

import pytest
import redis
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date
from django_tasks_db.models import DBTaskResult

from airml.cache import (
    CHANGES_CHANNEL,
    PAGE_KEY_PREFIX,
    VERSION_KEY,
    LocalCopies,
    content_version,
)
from airml.models import LinkCheck
from airml.settings import redis_cache
from importers.models import ImportedItem
from news.models import NewsItem
from pages.models import ContactMessage, MenuItem, Section, SiteSettings
from research.import_jobs import BibtexImport
from research.models import Publication
from tests.admin_forms import add_inline_rows, admin_form_data, assert_saved
from tests.factories import (
    AuthorshipFactory,
    GroupFactory,
    NewsFactory,
    PageFactory,
    PersonFactory,
    PublicationFactory,
    SectionFactory,
    UserFactory,
)
from tests.tcpproxy import TcpProxy

pytestmark = pytest.mark.django_db


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
    SiteSettings.load()  # made on first use otherwise, which drops the version at once
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
    # and pages are cached again: the outdated version record was replaced
    assert get(visitor, "/news/")["X-Page-Cache"] == "hit"


def test_citation_refresh_without_signal_still_invalidates(visitor):
    publication = PublicationFactory(title="Cited", slug="cited")
    get(visitor, "/publications/")

    Publication.objects.filter(pk=publication.pk).update(title="Retitled")
    # An update() alone sends no signal; re-formatting the citation bumps the version.
    from research.citations import refresh

    refresh([Publication.objects.get(pk=publication.pk)])
    assert "Retitled" in get(visitor, "/publications/").content.decode()


def test_content_visitors_never_see_leaves_cached_pages_valid(visitor, staff_user):
    site = SiteSettings.load()
    site.email = "lab@example.org"
    site.save()
    page = PageFactory(slug="contact", title="Contact")
    SectionFactory(page=page, kind=Section.Kind.CONTACT, title="Get in touch")
    get(visitor, "/news/")
    assert get(visitor, "/news/")["X-Page-Cache"] == "hit"

    # A visitor's message through the form, a staff sign-in (and a failed one), an
    # import record, a link check and a background task's result.
    sender = Client()
    message = {"name": "Ada", "email": "ada@example.org", "message": "Hello there, lab."}
    assert sender.post("/contact/", message).status_code == 302
    admin_login = f"/{settings.ADMIN_URL}login/"
    Client().post(admin_login, {"username": staff_user.username, "password": "wrong"})
    signed_in = Client()
    signed_in.force_login(staff_user)
    BibtexImport.objects.create(text="@article{a, title={A}}")
    ImportedItem.objects.create(source="content/news/a.md", content_type_id=1, object_id=1,
                                checksum="0" * 64)  # fmt: skip
    LinkCheck.objects.create(url="https://example.org/", status=200)
    DBTaskResult.objects.create(args_kwargs={"args": [], "kwargs": {}}, task_path="x.y",
                                backend_name="default")  # fmt: skip

    assert ContactMessage.objects.count() == 1 and AccessAttempt.objects.count() == 1
    assert get(visitor, "/news/")["X-Page-Cache"] == "hit"
    # while a visible edit still makes it stale
    NewsFactory(slug="new")
    assert get(visitor, "/news/")["X-Page-Cache"] == "miss"


@pytest.fixture
def redis_through_proxy(settings):
    """The cache reached through a proxy the test can cut, as if Redis stopped."""
    upstream = urlsplit(settings.CACHES["default"]["LOCATION"])
    proxy = TcpProxy((upstream.hostname, upstream.port)).start()
    location = upstream._replace(netloc=f"127.0.0.1:{proxy.port}").geturl()
    with override_settings(CACHES={"default": redis_cache(location)}):
        yield proxy
    proxy.cut()


def test_redis_stopped_means_uncached_pages_and_back_means_cached_again(
    visitor, redis_through_proxy
):
    SiteSettings.load()
    NewsFactory(title="Before the outage", slug="before")
    get(visitor, "/news/")
    assert get(visitor, "/news/")["X-Page-Cache"] == "hit"

    redis_through_proxy.cut()
    during = [get(visitor, "/news/") for _ in range(2)]
    NewsFactory(title="Written during the outage", slug="during")  # its delete fails
    after_edit = get(visitor, "/news/")

    assert [r["X-Page-Cache"] for r in during] == ["miss", "miss"]  # rendered, not stored
    assert "Before the outage" in during[0].content.decode()
    assert "Written during the outage" in after_edit.content.decode()

    redis_through_proxy.restore()
    back = [get(visitor, "/news/") for _ in range(2)]

    # The page cached before the outage is not served: the edit made during it counts.
    assert "Written during the outage" in back[0].content.decode()
    assert [r["X-Page-Cache"] for r in back] == ["miss", "hit"]


def test_redis_on_a_closed_port_serves_every_page_uncached(visitor):
    site = SiteSettings.load()
    site.email = "lab@example.org"
    site.save()
    page = PageFactory(slug="contact", title="Contact")
    SectionFactory(page=page, kind=Section.Kind.CONTACT, title="Get in touch")
    NewsFactory(title="Still served", slug="still")
    closed = redis_cache("redis://127.0.0.1:9/0")  # discard port: nothing listens
    with override_settings(CACHES={"default": closed}):
        for url in ("/", "/news/", "/news/still/", "/people/", "/sitemap.xml"):
            assert get(visitor, url)["X-Page-Cache"] == "miss", url
        assert "Still served" in get(visitor, "/news/").content.decode()
        # The contact form's rate limit counts in the cache: without it, mail still goes.
        message = {"name": "Ada", "email": "ada@example.org", "message": "Hello there, lab."}
        assert Client().post("/contact/", message).status_code == 302
        assert ContactMessage.objects.count() == 1
        staff = UserFactory(is_staff=True, is_superuser=True)
        visitor.force_login(staff)
        assert get(visitor, f"/{settings.ADMIN_URL}").status_code == 200


def other_server_redis():
    """A connection of its own to the test Redis, as another host's worker has."""
    return redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])


def until_copied(visitor, url):
    """Requests `url` until this worker serves it from its own copy (its subscription
    is confirmed after a round trip): the page is then gone from Redis and still hit."""
    other = other_server_redis()
    for _ in range(50):
        assert get(visitor, url)["X-Page-Cache"] in ("miss", "hit")
        page_keys = other.keys(f"*{PAGE_KEY_PREFIX}*")
        other.delete(*page_keys)
        if get(visitor, url)["X-Page-Cache"] == "hit":
            return other
        time.sleep(0.01)
    raise AssertionError("the worker never kept a copy")


def test_a_worker_serves_its_own_copy_until_another_server_announces_a_change(visitor):
    SiteSettings.load()
    item = NewsFactory(title="Old title", slug="item")
    other = until_copied(visitor, "/news/")
    with CaptureQueriesContext(connection) as queries:
        assert "Old title" in get(visitor, "/news/").content.decode()
    assert len(queries) == 0

    # Another server saves the item: its row changes, it drops the version and says so.
    NewsItem.objects.filter(pk=item.pk).update(title="New title")  # no signal here
    other.delete(cache.make_key(VERSION_KEY))
    other.publish(caches["default"].channel_name(CHANGES_CHANNEL), b"")
    time.sleep(0.05)  # the other server answers its editor before the next visit comes

    response = get(visitor, "/news/")
    assert response["X-Page-Cache"] == "miss" and "New title" in response.content.decode()


def test_clearing_the_cache_drops_the_workers_copies(visitor):
    SiteSettings.load()
    NewsFactory(title="Kept", slug="kept")
    until_copied(visitor, "/news/")
    cache.clear()
    assert get(visitor, "/news/")["X-Page-Cache"] == "miss"


def test_copies_are_not_used_while_redis_is_silent(visitor, redis_through_proxy, monkeypatch):
    monkeypatch.setattr(LocalCopies, "PING_EVERY", 0.05)
    monkeypatch.setattr(LocalCopies, "HEARD_WITHIN", 0.2)  # 1 s in production
    SiteSettings.load()
    NewsFactory(title="Before the silence", slug="before")
    until_copied(visitor, "/news/")

    redis_through_proxy.hold()  # nothing closes, so no socket error tells the worker
    time.sleep(0.3)
    # An edit elsewhere could not be announced: the copy is not trusted, Redis is asked
    # (and times out), and the page is rendered.
    during = get(visitor, "/news/")
    assert during["X-Page-Cache"] == "miss"

    redis_through_proxy.release()
    until_copied(visitor, "/news/")  # and back to copies once Redis answers again


def test_a_subscription_stays_connected_once_made():
    """The subscription holds its own connection: nothing closes it behind redis-py's
    back (which would reconnect silently, losing what was sent meanwhile)."""
    backend = caches["default"]
    subscription = backend.subscribe("test-channel")
    try:
        channel = backend.channel_name("test-channel")
        other = other_server_redis()
        for _ in range(50):
            if dict(other.pubsub_numsub(channel)).get(channel.encode()) == 1:
                break
            time.sleep(0.01)
        assert dict(other.pubsub_numsub(channel)) == {channel.encode(): 1}
        other.publish(channel, b"hello")
        kinds = [subscription.get_message(timeout=1)["type"] for _ in range(2)]
        assert kinds == ["subscribe", "message"]
    finally:
        subscription.close()


def test_pages_changed_is_heard_only_on_this_caches_database():
    one = redis_cache("redis://127.0.0.1:6379/3")
    other = redis_cache("redis://127.0.0.1:6379/4")
    with override_settings(CACHES={"default": one, "other": other}):
        assert caches["default"].channel_name(CHANGES_CHANNEL) != caches["other"].channel_name(
            CHANGES_CHANNEL
        )


def test_a_copy_lives_no_longer_than_its_page_in_redis(visitor, settings):
    settings.PAGE_CACHE_SECONDS = 2
    SiteSettings.load()
    NewsFactory(title="Timely", slug="timely")
    other = until_copied(visitor, "/")  # the worker's subscription is confirmed
    made = time.monotonic()
    assert get(visitor, "/news/")["X-Page-Cache"] == "miss"
    time.sleep(1.2)
    # From Redis: the first after a silence pings Redis again, the second is copied.
    for _ in range(2):
        assert get(visitor, "/news/")["X-Page-Cache"] == "hit"
        time.sleep(0.02)
    other.delete(*other.keys(f"*{PAGE_KEY_PREFIX}*"))
    assert get(visitor, "/news/")["X-Page-Cache"] == "hit"  # from the copy
    time.sleep(max(0, made + 2.2 - time.monotonic()))
    # Two seconds after the page was made, though only one after it was copied.
    assert get(visitor, "/news/")["X-Page-Cache"] == "miss"
