"""The news feeds (RSS and Atom): published items only, newest first, absolute links."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from pages.models import SiteSettings
from tests.factories import NewsFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def parse(content):
    return ET.fromstring(content)  # noqa: S314 - our own server's output


def make_content():
    SiteSettings.objects.create(name="AIR-ML", full_name="AIR-ML Research Lab",
                                description="Robust ML.")  # fmt: skip
    NewsFactory(title="Award won", slug="award", date=datetime.date(2025, 5, 1), summary="Yay.")
    NewsFactory(title="Older news", slug="older", date=datetime.date(2024, 1, 1))
    NewsFactory(title="Secret news", slug="secret", status="draft")


def test_news_rss_lists_published_news_newest_first_with_absolute_links(client):
    make_content()

    response = client.get("/news/feed/")

    assert response["Content-Type"].startswith("application/rss+xml")
    channel = parse(response.content).find("channel")
    assert channel.findtext("title") == "AIR-ML: news"
    assert channel.findtext("link") == "http://testserver/news/"
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Award won", "Older news"]
    assert items[0].findtext("link") == "http://testserver/news/award/"
    assert items[0].findtext("description") == "Yay."


def test_news_atom_lists_published_news_with_the_site_description(client):
    make_content()

    feed = parse(client.get("/news/atom/").content)

    assert feed.findtext(f"{ATOM}subtitle") == "Robust ML."
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Award won", "Older news"]
    assert entries[0].find(f"{ATOM}link").get("href") == "http://testserver/news/award/"
