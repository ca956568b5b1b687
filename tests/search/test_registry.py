"""Site search: exact results per kind, highlighting, drafts excluded, fixed query count.

Runs on SQLite (icontains fallback) and on PostgreSQL (full-text search) alike; the
words used match whole words, so both give the same rows.
"""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news.models import Event
from pages.models import SiteSettings
from search.registry import highlight, search, snippet
from tests.factories import (
    DirectionFactory,
    NewsFactory,
    PageFactory,
    PersonFactory,
    ProjectFactory,
    PublicationFactory,
)

pytestmark = pytest.mark.django_db


def make_content():
    SiteSettings.load()
    PersonFactory(first_name="Grace", last_name="Hopper", slug="grace", role="Professor",
                  bio="Grace builds *zebrafish* vision models.")  # fmt: skip
    PersonFactory(first_name="Hidden", last_name="Zebrafish", slug="hidden", status="draft")
    PersonFactory(first_name="Alan", last_name="Turing", slug="alan", bio="Computability.")
    PublicationFactory(title="Zebrafish Saliency Maps", slug="zf-saliency",
                       abstract="Interpreting models of zebrafish larvae.")  # fmt: skip
    PublicationFactory(title="Robust Vision", slug="robust-vision", date=datetime.date(2025, 1, 1),
                       abstract="We evaluate on a zebrafish dataset.")  # fmt: skip
    PublicationFactory(title="Zebrafish Draft", slug="zf-draft", status="draft")
    PublicationFactory(title="Zebrafish Later", slug="zf-later",
                       publish_at=timezone.now() + datetime.timedelta(days=3))  # fmt: skip
    ProjectFactory(title="Zebrafish Atlas", slug="atlas", summary="A map of larvae.")
    DirectionFactory(title="Interpretability", slug="interp", body="Also zebrafish.")
    NewsFactory(title="Zebrafish paper accepted", slug="zf-news", summary="At ICLR.")
    NewsFactory(title="Unrelated news", slug="other-news", summary="Nothing.")
    Event.objects.create(title="Talk on zebrafish", slug="zf-talk", date=timezone.now(),
                         location="Zurich")  # fmt: skip
    PageFactory(title="Join us", slug="join", body="We study zebrafish and more.")
    PageFactory(title="Zebrafish secrets", slug="secret", status="draft")


def urls_by_kind(groups):
    return {group.key: [result.url for result in group.results] for group in groups}


def test_search_finds_exactly_the_published_matches_grouped_by_kind():
    make_content()

    groups = search("zebrafish")

    assert urls_by_kind(groups) == {
        "people": ["/people/grace/"],
        # Title matches rank first, then by date.
        "publications": ["/publications/zf-saliency/", "/publications/robust-vision/"],
        "projects": ["/projects/atlas/"],
        "directions": ["/research/interp/"],
        "news": ["/news/zf-news/"],
        "events": ["/events/zf-talk/"],
        "pages": ["/join/"],
    }


def test_search_needs_every_word():
    make_content()

    assert urls_by_kind(search("zebrafish saliency")) == {
        "publications": ["/publications/zf-saliency/"]
    }
    assert search("zebrafish nonexistentword") == []


def test_search_highlights_titles_and_snippets():
    make_content()

    groups = {group.key: group for group in search("zebrafish")}

    paper = groups["publications"].results[0]
    assert paper.title == "<mark>Zebrafish</mark> Saliency Maps"
    assert "<mark>zebrafish</mark> larvae" in paper.snippet
    assert paper.meta == "ICLR, 2024"
    person = groups["people"].results[0]
    assert person.title == "Grace Hopper" and person.meta == "Professor"
    assert "<mark>zebrafish</mark>" in person.snippet
    assert "<em>" not in person.snippet  # snippets are text, never the stored HTML


def test_search_escapes_content_before_marking_matches():
    PublicationFactory(title="<script>alert(1)</script> Zebrafish & co", slug="xss",
                       abstract="Tom & Jerry <img src=x onerror=alert(1)> zebrafish")  # fmt: skip

    result = search("zebrafish")[0].results[0]

    assert result.title == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Zebrafish</mark> &amp; co"
    assert "<script" not in result.snippet and "<img" not in result.snippet
    assert "<mark>zebrafish</mark>" in result.snippet


def test_highlight_never_marks_inside_escaped_entities():
    assert highlight("Fish & amp chips", ["amp"]) == "Fish &amp; <mark>amp</mark> chips"
    assert highlight("a<b", ["b"]) == "a&lt;<mark>b</mark>"


def test_snippet_is_cut_around_the_first_match():
    text = " ".join(["filler"] * 60) + " the zebrafish sentence " + " ".join(["tail"] * 60)

    result = snippet(text, ["zebrafish"], length=80)

    assert result.startswith("… ") and result.endswith(" …")
    assert "<mark>zebrafish</mark>" in result
    assert len(result) < 140


def test_search_limits_each_kind_and_links_to_the_filtered_list():
    for i in range(13):
        PublicationFactory(title=f"Zebrafish study {i}", slug=f"zf-{i}")
        NewsFactory(title=f"Zebrafish news {i}", slug=f"zf-news-{i}")

    groups = {group.key: group for group in search("zebrafish")}

    assert len(groups["publications"].results) == 10 and groups["publications"].has_more
    assert groups["publications"].more_url == "/publications/?q=zebrafish"
    assert len(groups["news"].results) == 10 and groups["news"].has_more
    assert groups["news"].more_url == ""


def test_search_page_groups_results_with_headings(client):
    make_content()

    html = client.get("/search/", {"q": "zebrafish"}).content.decode()

    assert '<h2 id="results-publications">Publications</h2>' in html
    assert '<a href="/publications/zf-saliency/"><mark>Zebrafish</mark> Saliency Maps</a>' in html
    assert "8 results for “zebrafish”." in html
    assert "Zebrafish Draft" not in html and "Zebrafish secrets" not in html
    assert "Hidden" not in html and "Zebrafish Later" not in html
    assert 'value="zebrafish"' in html  # the query stays in the box


def test_search_page_without_words_or_results_suggests_browsing(client):
    make_content()

    empty = client.get("/search/").content.decode()
    nothing = client.get("/search/", {"q": "quasar"}).content.decode()

    assert "Type one or more words" in empty
    assert "No results for “quasar”." in nothing
    for html in (empty, nothing):
        assert '<a href="/publications/">Publications</a>' in html
        assert '<a href="/people/">People</a>' in html


def test_search_page_query_count_is_fixed(client):
    def queries(q):
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/search/", {"q": q})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    make_content()
    few = queries("zebrafish")
    for i in range(30):
        PublicationFactory(title=f"Zebrafish study {i}", slug=f"zf-{i}")
        PersonFactory(slug=f"zf-person-{i}", last_name=f"Zebrafish{i}")
    many = queries("zebrafish")

    # Seven kinds, one query each; the site context (2) and the content version (1).
    assert few == many == 10


def test_search_box_is_in_every_page_header(client):
    html = client.get("/news/").content.decode()

    assert '<form class="site-search" role="search" action="/search/" method="get">' in html
    assert 'aria-label="Search the site"' in html
    assert '<button type="submit">Search</button>' in html


@pytest.mark.parametrize("url", ["/search/?q=a%00b", "/search/?q=%00", "/publications/?q=a%00b",
                                 "/publications/?tag=%00&person=x%00"])  # fmt: skip
def test_a_nul_character_in_the_query_is_ignored(client, url):
    make_content()
    assert client.get(url).status_code == 200


def test_search_lists_an_undated_publication_after_the_dated_ones():
    SiteSettings.load()
    PublicationFactory(slug="nd-paper", title="Gazelle one", date=None, date_precision="none")
    PublicationFactory(slug="dated-paper", title="Gazelle two", date=datetime.date(2020, 1, 1))

    groups = search("gazelle")

    assert urls_by_kind(groups)["publications"] == [
        "/publications/dated-paper/",
        "/publications/nd-paper/",
    ]
