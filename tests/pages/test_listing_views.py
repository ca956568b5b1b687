"""Every listing view renders every collection, and switching views changes the page."""

import datetime
import re

import pytest

from airml.models import ListingView
from airml.templatetags.airml_tags import initials
from news.models import Event
from pages.models import Collection
from tests.factories import (
    AuthorshipFactory,
    DirectionFactory,
    NewsFactory,
    PageFactory,
    PersonFactory,
    ProjectFactory,
    PublicationFactory,
    image_file,
)

pytestmark = pytest.mark.django_db

# (collection, the title the listing must show, a fact it must show in every view)
EXPECTED = {
    Collection.NEWS: ("Grant awarded", "2025"),
    Collection.EVENTS: ("Keynote at ICML", "2025"),
    Collection.PUBLICATIONS: ("Provable Defences", "2024"),
    Collection.PROJECTS: ("Robust Vision", "Robust Vision"),
    Collection.DIRECTIONS: ("Foundations", "Foundations"),
    Collection.PEOPLE: ("Grace Hopper", "Grace Hopper"),
}


@pytest.fixture
def content():
    person = PersonFactory(first_name="Grace", last_name="Hopper", slug="grace",
                           role="Professor", avatar=image_file())  # fmt: skip
    publication = PublicationFactory(title="Provable Defences", slug="pd",
                                     date=datetime.date(2024, 6, 1))  # fmt: skip
    AuthorshipFactory(publication=publication, person=person, name="")
    ProjectFactory(title="Robust Vision", slug="rv", image=image_file(), image_alt="A robot")
    DirectionFactory(title="Foundations", slug="foundations")
    NewsFactory(title="Grant awarded", slug="grant", date=datetime.date(2025, 3, 4))
    Event.objects.create(title="Keynote at ICML", slug="keynote", event_name="ICML",
                         date=datetime.datetime(2025, 7, 14, 9, tzinfo=datetime.UTC))  # fmt: skip


@pytest.mark.parametrize("view", ListingView.values)
@pytest.mark.parametrize("collection", list(EXPECTED))
def test_every_view_lists_every_collection(client, content, collection, view):
    PageFactory(slug="listing", collection=collection, view=view)
    title, fact = EXPECTED[collection]

    response = client.get("/listing/")

    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert f"listing-{view}" in main or collection == Collection.PEOPLE
    assert title in main and fact in main


def test_people_card_view_shows_avatar_role_and_links(client, content):
    PageFactory(slug="team", collection=Collection.PEOPLE)
    html = client.get("/team/").content.decode()
    assert 'class="avatar"' in html and 'alt="Photo of Grace Hopper"' in html
    assert "Professor" in html


def test_publication_citation_view_formats_reference(client, content):
    PageFactory(slug="papers", collection=Collection.PUBLICATIONS, view=ListingView.CITATION)
    html = client.get("/papers/").content.decode()
    assert (
        '<span class="citation"><a href="/people/grace/" rel="noopener noreferrer">'
        '<strong class="member">Hopper, G.</strong></a> (2024). '
        '<a class="cite-title" href="/publications/pd/" rel="noopener noreferrer">'
        "Provable Defences</a>. <i>International Conference on Learning Representations</i>."
        "</span>"
    ) in html


def test_count_and_featured_filters(client):
    for i in range(5):
        NewsFactory(title=f"Item {i}", slug=f"item-{i}", date=datetime.date(2025, 1, i + 1),
                    featured=i == 1)  # fmt: skip
    PageFactory(slug="latest", collection=Collection.NEWS, view=ListingView.NEWS, count=2)
    PageFactory(slug="featured", collection=Collection.NEWS, featured_only=True)

    latest = client.get("/latest/").content.decode()
    featured = client.get("/featured/").content.decode()

    assert "Item 4" in latest and "Item 3" in latest and "Item 2" not in latest
    assert "Item 1" in featured and "Item 4" not in featured


def test_news_list_is_paginated(client):
    for i in range(55):
        NewsFactory(slug=f"n{i}", title=f"Story {i:02d}", date=datetime.date(2020, 1, 1)
                    + datetime.timedelta(days=i))  # fmt: skip
    first = client.get("/news/").content.decode()
    second = client.get("/news/?page=2").content.decode()
    assert "Story 54" in first and "Story 04" not in first and "Page 1 of 2" in first
    assert "Story 04" in second and "Story 54" not in second


@pytest.mark.parametrize("view", [ListingView.CARD, ListingView.SHOWCASE])
def test_item_without_image_has_no_empty_image_box(client, view):
    ProjectFactory(title="Explaining Vision Models", slug="ev")
    ProjectFactory(title="Robust Vision", slug="rv", image=image_file(), image_alt="A robot")
    PageFactory(slug="projects-list", collection=Collection.PROJECTS, view=view)

    html = client.get("/projects-list/").content.decode()

    rows = re.findall(r"<article class=\"[^\"]*\">.*?</article>", html, re.S)
    pictured, plain = sorted(rows, key=lambda row: "Explaining" in row)
    assert "Robust Vision" in pictured and 'alt="A robot"' in pictured
    assert "<img" not in plain
    assert not re.search(r'class="(card|showcase)-image">\s*</div>', html)
    if view == ListingView.CARD:
        assert '<div class="card-placeholder" aria-hidden="true"><span>EV</span></div>' in plain
        assert "card-placeholder" not in pictured
    else:
        assert "showcase-image" not in plain and "no-image" in plain
        assert "showcase-image" in pictured


@pytest.mark.parametrize(
    ("title", "expected"),
    [("Explaining Vision Models", "EV"), ("The Ethics of AI", "EA"), ("Fair", "F"),
     ("3D vision for über-robust robots", "VÜ"), ("L'apprentissage robuste", "LR"),
     ("2025", "")],
)  # fmt: skip
def test_initials_skip_minor_words_and_numbers(title, expected):
    assert initials(title) == expected
