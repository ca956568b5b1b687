"""Publication feeds, sitemap.xml, robots.txt, Open Graph / Twitter tags and JSON-LD."""

import datetime
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.test import override_settings

from pages.models import SiteSettings
from research.models import Publication
from tests.factories import (
    DirectionFactory,
    NewsFactory,
    PageFactory,
    PersonFactory,
    ProjectFactory,
    PublicationFactory,
    SocialLinkFactory,
    image_file,
)

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def parse(content):
    return ET.fromstring(content)  # noqa: S314 - our own server's output


def make_content():
    SiteSettings.objects.create(name="AIR-ML", full_name="AIR-ML Research Lab",
                                description="Robust ML.", email="lab@example.org",
                                address="Main St 1\n8000 Zurich")  # fmt: skip
    NewsFactory(title="Award won", slug="award", date=datetime.date(2025, 5, 1), summary="Yay.")
    NewsFactory(title="Older news", slug="older", date=datetime.date(2024, 1, 1))
    NewsFactory(title="Secret news", slug="secret", status="draft")
    PublicationFactory(title="Robust Paper", slug="robust", date=datetime.date(2025, 2, 1))
    PublicationFactory(title="Draft Paper", slug="draft-paper", status="draft")
    person = PersonFactory(first_name="Grace", last_name="Hopper", slug="grace", role="Professor")
    SocialLinkFactory(person=person, kind="github", url="https://github.com/grace")
    SocialLinkFactory(person=person, kind="email", url="grace@example.org")
    person.organisations.create(name="ETH Zurich", url="https://ethz.ch")
    PersonFactory(slug="hidden", status="draft")
    ProjectFactory(slug="atlas")
    DirectionFactory(slug="robustness")
    PageFactory(slug="positions", title="Open positions")
    PageFactory(slug="hidden-page", status="draft")


def test_publication_atom_lists_published_publications(client):
    make_content()

    response = client.get("/publications/atom/")

    assert response["Content-Type"].startswith("application/atom+xml")
    feed = parse(response.content)
    assert feed.findtext(f"{ATOM}title") == "AIR-ML: publications"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Robust Paper"]
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link == "http://testserver/publications/robust/"
    assert "Robust Paper" in entries[0].findtext(f"{ATOM}summary")  # the stored citation


def test_publication_rss_answers(client):
    make_content()

    rss = parse(client.get("/publications/feed/").content)

    assert [i.findtext("title") for i in rss.find("channel").findall("item")] == ["Robust Paper"]


def test_every_page_links_its_feeds(client):
    html = client.get("/").content.decode()

    feeds = [("rss", "/news/feed/"), ("atom", "/news/atom/"), ("rss", "/publications/feed/"),
             ("atom", "/publications/atom/")]  # fmt: skip
    for kind, path in feeds:
        pattern = rf'<link rel="alternate" type="application/{kind}\+xml" [^>]*href="{path}"'
        assert re.search(pattern, html), path


def test_sitemap_lists_every_published_object_with_lastmod(client):
    make_content()

    response = client.get("/sitemap.xml")

    assert response["Content-Type"].startswith("application/xml")
    urls = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in parse(response.content)
    }
    base = "http://testserver"
    assert set(urls) == {
        f"{base}/positions/", f"{base}/", f"{base}/news/", f"{base}/events/",
        f"{base}/publications/", f"{base}/projects/", f"{base}/people/", f"{base}/research/",
        f"{base}/people/grace/", f"{base}/research/robustness/", f"{base}/publications/robust/",
        f"{base}/projects/atlas/", f"{base}/news/award/", f"{base}/news/older/",
    }  # fmt: skip
    modified = Publication.objects.get(slug="robust").modified
    assert urls[f"{base}/publications/robust/"] == modified.isoformat(timespec="seconds")


@override_settings(ADMIN_URL="lab-admin/")
def test_robots_points_at_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Disallow: /lab-admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert lines[0] == "User-agent: *"


def meta(html, prop):
    match = re.search(rf'<meta (?:property|name)="{prop}" content="([^"]*)">', html)
    return match.group(1) if match else None


def test_open_graph_and_twitter_tags_on_a_news_item_with_an_image(client):
    make_content()
    NewsFactory(slug="photo", title="Lab retreat", summary="We hiked.", image=image_file(),
                image_alt="The lab on a hill")  # fmt: skip

    html = client.get("/news/photo/").content.decode()

    assert meta(html, "og:title") == "Lab retreat"
    assert meta(html, "og:description") == "We hiked."
    assert meta(html, "og:url") == "http://testserver/news/photo/"
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:image").startswith("http://testserver/media/news/")
    assert meta(html, "twitter:card") == "summary_large_image"
    assert '<link rel="canonical" href="http://testserver/news/photo/">' in html


def test_open_graph_defaults_without_an_image(client):
    make_content()

    home = client.get("/").content.decode()
    html = client.get("/research/").content.decode()

    assert meta(home, "og:title") == "AIR-ML"
    assert meta(html, "og:title") == "Research"
    assert meta(html, "og:description") == "Robust ML."
    assert meta(html, "og:type") == "website"
    assert meta(html, "og:image") is None
    assert meta(html, "twitter:card") == "summary"


def jsonld_blocks(html):
    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def test_home_page_describes_the_organisation_in_json_ld(client):
    make_content()

    (data,) = jsonld_blocks(client.get("/").content.decode())

    assert data == {
        "@context": "https://schema.org",
        "@type": "ResearchOrganization",
        "name": "AIR-ML Research Lab",
        "alternateName": "AIR-ML",
        "url": "http://testserver/",
        "description": "Robust ML.",
        "email": "lab@example.org",
        "address": "Main St 1 8000 Zurich",
    }


def test_person_page_describes_the_person_in_json_ld(client):
    make_content()

    (data,) = jsonld_blocks(client.get("/people/grace/").content.decode())

    assert data["@type"] == "Person"
    assert data["name"] == "Grace Hopper" and data["jobTitle"] == "Professor"
    assert data["url"] == "http://testserver/people/grace/"
    assert data["sameAs"] == ["https://github.com/grace"]  # email is not a profile
    assert [org["name"] for org in data["affiliation"]] == ["AIR-ML Research Lab", "ETH Zurich"]
    assert "image" not in data
