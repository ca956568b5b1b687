"""Publishing state as editors see it (Draft, Scheduled for <time>, Published), and
news with one date that drives publishing."""

import datetime

import pytest
from django.utils import timezone

from airml.admin import publishing_state
from news.models import NewsItem
from tests.admin_forms import admin_form_data, assert_saved
from tests.factories import NewsFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def test_publishing_state_tells_draft_scheduled_and_published():
    now = timezone.now()
    draft = PublicationFactory(status="draft")
    later = PublicationFactory(status="published", publish_at=now + datetime.timedelta(days=2))
    live = PublicationFactory(status="published", publish_at=now - datetime.timedelta(days=1))

    assert publishing_state(draft, now) == "Draft"
    assert publishing_state(later, now).startswith("Scheduled for ")
    assert publishing_state(live, now) == "Published"


def test_change_list_shows_scheduled_items_as_scheduled(staff_client):
    when = timezone.now() + datetime.timedelta(days=3)
    NewsFactory(title="Future news", status="published", publish_at=when)
    NewsFactory(title="Old news", status="published")
    NewsFactory(title="Unfinished", status="draft")

    html = staff_client.get("/admin/news/newsitem/").content.decode()

    assert html.count("Scheduled for ") == 1
    assert ">Draft<" in html and ">Published<" in html
    scheduled = staff_client.get("/admin/news/newsitem/?state=scheduled").content.decode()
    assert "Future news" in scheduled and "Old news" not in scheduled
    assert "Unfinished" not in scheduled


def test_change_form_shows_the_state(staff_client):
    item = NewsFactory(status="published", publish_at=timezone.now() + datetime.timedelta(hours=5))

    html = staff_client.get(f"/admin/news/newsitem/{item.pk}/change/").content.decode()

    assert "publishing state" in html.lower() and "Scheduled for " in html


def test_news_needs_only_the_publish_time(staff_client):
    url = "/admin/news/newsitem/add/"
    data = admin_form_data(staff_client.get(url))
    data.update({"title": "Grant awarded", "slug": "grant", "body": "We got it.",
                 "status": "published", "date": "",
                 "publish_at_0": "2025-06-02", "publish_at_1": "09:30:00"})  # fmt: skip

    assert_saved(staff_client.post(url, data))

    item = NewsItem.objects.get(slug="grant")
    assert item.date == datetime.date(2025, 6, 2)


def test_news_date_can_still_back_date_an_item(staff_client):
    url = "/admin/news/newsitem/add/"
    data = admin_form_data(staff_client.get(url))
    data.update({"title": "Old story", "slug": "old", "date": "2019-01-05",
                 "publish_at_0": "2025-06-02", "publish_at_1": "09:30:00"})  # fmt: skip

    assert_saved(staff_client.post(url, data))

    assert NewsItem.objects.get(slug="old").date == datetime.date(2019, 1, 5)


def test_slug_help_text_shows_the_real_address(staff_client):
    from tests.factories import PageFactory

    page = PageFactory(slug="join-us")

    add = staff_client.get("/admin/pages/page/add/").content.decode()
    change = staff_client.get(f"/admin/pages/page/{page.pk}/change/").content.decode()

    assert "The page lives at //" not in add
    assert "Will live at http://testserver/&lt;slug&gt;/" in add
    assert "Lives at http://testserver/join-us/" in change
