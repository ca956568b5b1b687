"""People cards are kept per version of the person: edits show at once, other edits
leave them alone."""

import pytest
from django.test import override_settings

from people.templatetags import people_tags
from tests.factories import NewsFactory, PersonFactory, SocialLinkFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_no_page_cache")]


@pytest.fixture
def _no_page_cache():
    with override_settings(PAGE_CACHE_SECONDS=0):
        yield


def people_page(client):
    response = client.get("/people/")
    assert response.status_code == 200
    return response.content.decode()


def test_card_shows_name_role_initials_and_links(client):
    person = PersonFactory(first_name="Grace", last_name="Hopper", role="Professor",
                           co_advisors="Prof. Turing")  # fmt: skip
    SocialLinkFactory(person=person, kind="google-scholar", url="https://scholar.example/g")
    SocialLinkFactory(person=person, kind="other", label="Lab <wiki>", url="https://w.example")

    html = people_page(client)

    assert f'<a href="/people/{person.slug}/">Grace Hopper</a>' in html
    assert '<p class="meta">Professor <span class="muted">(Prof. Turing)</span></p>' in html
    assert '<span class="avatar avatar-initials" aria-hidden="true">GH</span>' in html
    # Icon links: the icon is hidden from assistive technology, the label is the name.
    assert '<a href="https://scholar.example/g" title="Google Scholar"><svg class="icon"' in html
    assert '<use href="/static/icons/sprite.svg#google-scholar"></use>' in html
    assert '<span class="icon-label">Google Scholar</span></a>' in html
    assert '<span class="icon-label">Lab &lt;wiki&gt;</span></a>' in html


def test_card_follows_edits_of_the_person_and_of_their_links(client):
    person = PersonFactory(first_name="Grace", last_name="Hopper")
    link = SocialLinkFactory(person=person, url="https://github.com/grace")
    assert "https://github.com/grace" in people_page(client)

    link.url = "https://github.com/ghopper"
    link.save()
    assert "https://github.com/ghopper" in people_page(client)

    SocialLinkFactory(person=person, kind="orcid", url="https://orcid.org/0000-0002")
    link.delete()
    html = people_page(client)
    assert "https://orcid.org/0000-0002" in html and "github.com" not in html

    person.refresh_from_db()
    person.display_name = "Rear Admiral Grace Hopper"
    person.save()
    assert "Rear Admiral Grace Hopper" in people_page(client)


def test_card_is_built_once_while_the_person_is_unchanged():
    person = PersonFactory()
    first = people_tags.person_card(person, "h3")

    NewsFactory()  # other content changes: the card stays valid
    assert people_tags.person_card(person, "h3") is first
    assert people_tags.person_card(person, "h2") is not first  # another heading level

    person.role = "Postdoc"
    person.save()
    rebuilt = people_tags.person_card(person, "h3")
    assert rebuilt is not first and "Postdoc" in rebuilt


def test_heading_level_is_one_of_the_allowed_tags():
    person = PersonFactory(first_name="Ada", last_name="L")
    card = people_tags.person_card(person, "script")
    assert "<h3><a " in card and "<script" not in card


def test_project_and_direction_pages_show_people_as_people_cards(client):
    from tests.factories import DirectionFactory, ProjectFactory

    person = PersonFactory(first_name="Grace", last_name="Hopper", short_bio="Private-ish bio.")
    project = ProjectFactory(slug="atlas")
    project.people.add(person)
    direction = DirectionFactory(slug="robustness")
    direction.people.add(person)

    for url in ("/projects/atlas/", "/research/robustness/"):
        html = client.get(url).content.decode()
        people = html[html.index('id="people-heading"') :]
        assert '<div class="listing listing-card people-cards">' in people, url
        assert '<span class="avatar avatar-initials" aria-hidden="true">GH</span>' in people, url
        assert "Private-ish bio." not in people, url  # cards show the role, not the bio
