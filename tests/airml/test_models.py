"""Drafts and scheduling: an item scheduled for later appears by itself at its time
(no cron job, no save), and previews of drafts are never stored by a shared cache."""

import datetime

import pytest

from news.models import NewsItem
from tests.factories import NewsFactory, PageFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def test_scheduled_news_appears_by_itself_at_its_time(client, clock):
    NewsFactory(slug="award", title="Best paper award",
                publish_at=clock.now + datetime.timedelta(hours=2))  # fmt: skip

    assert client.get("/news/award/").status_code == 404
    assert "Best paper award" not in client.get("/news/").content.decode()
    assert "Best paper award" not in client.get("/").content.decode()
    assert not NewsItem.objects.published().exists()

    clock.advance(hours=1, minutes=59)
    assert client.get("/news/award/").status_code == 404

    clock.advance(minutes=1)
    assert client.get("/news/award/").status_code == 200
    assert "Best paper award" in client.get("/news/").content.decode()
    assert "Best paper award" in client.get("/").content.decode()


def test_scheduled_publication_appears_in_listing_at_its_time(client, clock):
    PublicationFactory(slug="later", title="Scheduled Paper",
                       publish_at=clock.now + datetime.timedelta(days=1))  # fmt: skip
    assert "Scheduled Paper" not in client.get("/publications/").content.decode()

    clock.advance(days=1)

    assert "Scheduled Paper" in client.get("/publications/").content.decode()
    assert client.get("/publications/later/").status_code == 200


def test_draft_never_appears_however_late(client, clock):
    NewsFactory(slug="draft", status="draft", publish_at=clock.now)
    clock.advance(days=365)
    assert client.get("/news/draft/").status_code == 404


@pytest.mark.parametrize("url", ["/news/draft/", "/draft-page/"])
def test_preview_is_marked_and_private_so_shared_caches_never_store_it(staff_client, url):
    NewsFactory(slug="draft", status="draft")
    PageFactory(slug="draft-page", status="draft")

    response = staff_client.get(url)

    assert "Preview: this draft is not visible to visitors." in response.content.decode()
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store", "no-cache", "max-age=0"} <= cache_control
    assert response["Expires"]


def test_published_page_for_visitors_is_not_marked_private(client):
    NewsFactory(slug="public")
    response = client.get("/news/public/")
    assert "private" not in response.get("Cache-Control", "")


def test_choice_label_is_the_translated_label_or_the_stored_value():
    from airml.models import Status, choice_label

    assert choice_label(Status, "draft") == "Draft"
    assert type(choice_label(Status, "draft")) is str  # e.g. for force_str in revisions
    assert choice_label(Status, "retired") == "retired"  # a value no longer offered
