"""Every public page type: content, 404s, drafts hidden from visitors, staff previews."""

import datetime
import re

import pytest
from django.test import override_settings
from django.utils import timezone

from airml.models import Status
from airml.views import server_error
from pages.models import Collection, Section, collection_items
from research.citations import refresh
from tests.factories import (
    AuthorshipFactory,
    DirectionFactory,
    GroupFactory,
    MenuItemFactory,
    NewsFactory,
    PageFactory,
    PersonFactory,
    ProjectFactory,
    PublicationFactory,
    SectionFactory,
    SocialLinkFactory,
    image_file,
)

pytestmark = pytest.mark.django_db


def make_site():
    group = GroupFactory(name="Lab Members", slug="lab-members")
    person = PersonFactory(first_name="Grace", last_name="Hopper", slug="grace-hopper",
                           role="Professor", groups=[group])  # fmt: skip
    SocialLinkFactory(person=person, kind="github", url="https://github.com/grace")
    direction = DirectionFactory(title="Robustness", slug="robustness")
    direction.people.add(person)
    project = ProjectFactory(title="Certified Defences", slug="certified-defences")
    project.directions.add(direction)
    project.people.add(person)
    publication = PublicationFactory(title="On Adversarial Risk", slug="hopper2024risk")
    AuthorshipFactory(publication=publication, person=person, name="", order=0)
    AuthorshipFactory(publication=publication, name="Alan Turing", order=1)
    publication.directions.add(direction)
    publication.projects.add(project)
    news = NewsFactory(title="Paper accepted at ICLR", slug="iclr-accept")
    page = PageFactory(title="Open Positions", slug="positions", body="We are **hiring**.")
    SectionFactory(page=page, title="How to apply", body="Send an email.")
    return locals()


def body(response):
    assert response.status_code == 200
    return response.content.decode()


def test_person_page_shows_profile_and_publications(client):
    site = make_site()
    person = site["person"]
    person.bio = "Grace *invented* compilers."
    person.interests = "Compilers\nRobustness"
    person.save()
    person.education.create(course="PhD in Mathematics", institution="Yale", year="1934")
    person.organisations.create(name="Navy", url="https://navy.example")

    html = body(client.get("/people/grace-hopper/"))

    assert "<h1>Grace Hopper</h1>" in html
    assert "<em>invented</em>" in html
    assert "<li>Compilers</li>" in html and "PhD in Mathematics, Yale, 1934" in html
    assert 'href="https://navy.example">Navy</a>' in html
    assert 'href="https://github.com/grace" title="GitHub">' in html
    assert '<span class="icon-label">GitHub</span>' in html
    assert "On Adversarial Risk" in html and "Certified Defences" in html


def test_people_page_groups_members_and_generates_alumni(client):
    site = make_site()
    GroupFactory(name="Affiliated Students", slug="affiliated", order=50)
    PersonFactory(first_name="Kurt", last_name="Gödel", slug="kurt", role="Affiliated student",
                  groups=[site["group"]])  # fmt: skip
    PersonFactory(first_name="Emmy", last_name="Noether", slug="emmy", member_status="alumni",
                  membership="phd", start_date=datetime.date(2018, 9, 1),
                  end_date=datetime.date(2023, 6, 30), now_at="DeepMind",
                  now_at_url="https://deepmind.example")  # fmt: skip
    PersonFactory(first_name="Tim", last_name="Intern", slug="tim", member_status="alumni",
                  membership="intern")  # fmt: skip

    html = body(client.get("/people/"))

    assert html.index("Lab Members") < html.index("Grace Hopper") < html.index("Alumni")
    assert "Affiliated Students" not in html  # empty groups are not shown
    alumni = html[html.index("Alumni") :]
    assert "Emmy Noether" in alumni and "(2018–2023)" in alumni
    assert 'now at <a href="https://deepmind.example">DeepMind</a>' in alumni
    assert alumni.index("Former members") < alumni.index("Emmy") < alumni.index(
        "Interns and visitors") < alumni.index("Tim Intern")  # fmt: skip
    assert "Emmy Noether" not in html[: html.index("Alumni")]


def test_person_who_leaves_moves_to_alumni_by_one_field(client):
    site = make_site()
    person = site["person"]
    person.member_status = "alumni"
    person.save()

    html = body(client.get("/people/"))

    assert "Grace Hopper" in html[html.index("Alumni") :]
    assert "Lab Members" not in html


def test_publication_list_and_detail(client):
    site = make_site()
    PublicationFactory(title="Older Work", slug="old", date=datetime.date(2019, 1, 1))

    html = body(client.get("/publications/"))
    listing = html[html.index("listing-citation") :]
    assert listing.index("2024") < listing.index("On Adversarial Risk") < listing.index("2019")
    assert listing.index("2019") < listing.index("Older Work")
    assert ('<a href="/people/grace-hopper/" rel="noopener noreferrer"><strong class="member">'
            "Hopper, G.</strong></a>, &amp; Turing, A. (2024).") in listing  # fmt: skip

    publication = site["publication"]
    publication.doi = "10.1000/xyz"
    publication.url_pdf = "https://example.org/paper.pdf"
    publication.save()
    publication.links.create(name="Blog post", url="https://blog.example/post")
    html = body(client.get("/publications/hopper2024risk/"))
    assert "<h1>On Adversarial Risk</h1>" in html
    assert "We study <em>robustness</em>." in html
    assert 'href="https://doi.org/10.1000/xyz"' in html
    assert re.search(r'href="https://example.org/paper.pdf"><svg [^>]+><use href="[^"]+#pdf">'
                     r"</use></svg>PDF</a>", html)  # fmt: skip
    assert re.search(r'href="https://blog.example/post"><svg .*?</svg>Blog post</a>', html)
    assert "Alan Turing" in html and 'href="/people/grace-hopper/"' in html
    assert 'href="/projects/certified-defences/"' in html


def test_projects_news_and_direction_pages(client):
    make_site()
    assert "Certified Defences" in body(client.get("/projects/"))
    project_html = body(client.get("/projects/certified-defences/"))
    assert "On Adversarial Risk" in project_html and "Grace Hopper" in project_html
    news_html = body(client.get("/news/"))
    assert '<span class="news-day">1</span> Mar 2025</time>' in news_html
    assert "Paper accepted at ICLR" in news_html
    assert "Some <em>news</em>." in body(client.get("/news/iclr-accept/"))
    direction_html = body(client.get("/research/robustness/"))
    for text in ("Grace Hopper", "Certified Defences", "On Adversarial Risk"):
        assert text in direction_html


def test_any_page_by_slug_with_sections(client):
    make_site()
    html = body(client.get("/positions/"))
    assert "We are <strong>hiring</strong>." in html
    assert html.index("hiring") < html.index("How to apply") < html.index("Send an email.")


def test_hidden_section_not_rendered(client):
    site = make_site()
    SectionFactory(page=site["page"], title="Secret plan", is_visible=False)
    assert "Secret plan" not in body(client.get("/positions/"))


def test_home_without_home_page_falls_back_to_latest_news(client):
    make_site()
    html = body(client.get("/"))
    assert "Paper accepted at ICLR" in html


def test_home_page_sections_and_featured_publications(client):
    site = make_site()
    home = PageFactory(slug="home", title="Home", body="")
    hero = SectionFactory(page=home, kind=Section.Kind.HERO, title="AIR-ML Lab",
                          body="We make ML *robust*.", order=0)  # fmt: skip
    hero.photos.create(image=image_file(), alt="The team at NeurIPS", caption="Team retreat",
                       date=datetime.date(2024, 12, 1))  # fmt: skip
    site["publication"].featured = True
    site["publication"].save()
    PublicationFactory(title="Not featured")
    SectionFactory(page=home, kind=Section.Kind.COLLECTION, title="Featured papers",
                   collection=Collection.PUBLICATIONS, featured_only=True, view="citation",
                   order=1)  # fmt: skip

    html = body(client.get("/"))

    assert "<h1>AIR-ML Lab</h1>" in html and "We make ML <em>robust</em>." in html
    assert 'alt="The team at NeurIPS"' in html and "(December 2024)" in html
    assert "On Adversarial Risk" in html and "Not featured" not in html


def test_menu_comes_from_database(client):
    make_site()
    MenuItemFactory(label="Join us", url="/positions/")
    html = body(client.get("/positions/"))
    assert '<a href="/positions/" aria-current="page">Join us</a>' in html


@pytest.mark.parametrize(
    "url",
    ["/nope/", "/people/nobody/", "/publications/missing/", "/projects/missing/",
     "/news/missing/", "/research/missing/"],
)  # fmt: skip
def test_unknown_slugs_404_with_helpful_page(client, url):
    make_site()
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and 'href="/publications/"' in html


def draft_objects(site):
    future = timezone.now() + datetime.timedelta(days=3)
    return {
        "/people/grace-hopper/": site["person"],
        "/publications/hopper2024risk/": site["publication"],
        "/projects/certified-defences/": site["project"],
        "/news/iclr-accept/": site["news"],
        "/research/robustness/": site["direction"],
        "/positions/": site["page"],
    }, future


@pytest.mark.parametrize("how", ["draft", "scheduled"])
def test_drafts_404_for_visitors_and_preview_for_staff(client, staff_user, how):
    site = make_site()
    objects, future = draft_objects(site)
    for obj in objects.values():
        if how == "draft":
            obj.status = Status.DRAFT
        else:
            obj.publish_at = future
        obj.save()

    for url in objects:
        assert client.get(url).status_code == 404, url

    client.force_login(staff_user)
    for url in objects:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Preview: this draft is not visible to visitors." in response.content.decode()
        assert "no-cache" in response["Cache-Control"]


def test_drafts_are_left_out_of_listings(client):
    site = make_site()
    for obj in (site["publication"], site["project"], site["news"], site["person"]):
        obj.status = Status.DRAFT
        obj.save()

    assert "On Adversarial Risk" not in body(client.get("/publications/"))
    assert "Certified Defences" not in body(client.get("/projects/"))
    assert "Paper accepted" not in body(client.get("/news/"))
    assert "Grace Hopper" not in body(client.get("/people/"))
    # A draft member's name still shows as a plain author name, without a link.
    site["publication"].status = Status.PUBLISHED
    site["publication"].save()
    refresh([site["publication"]])  # the shell's save path (its citation in memory is stale)
    html = body(client.get("/publications/hopper2024risk/"))
    assert "Grace Hopper" in html and 'href="/people/grace-hopper/"' not in html


@override_settings(DEBUG=False)
def test_server_error_page_renders_without_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(None)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_collection_section_filtered_by_tag_and_author_lists_each_match_once(client):
    from tests.factories import AuthorshipFactory, PersonFactory, PublicationFactory, TagFactory

    jane, tag = PersonFactory(first_name="Jane", last_name="Doe"), TagFactory(name="Vision")
    both = PublicationFactory(title="Tagged and hers")
    AuthorshipFactory(publication=both, person=jane, order=0)
    AuthorshipFactory(publication=both, person=jane, order=1)  # listed twice: still once
    both.tags.add(tag)
    PublicationFactory(title="Tagged, not hers").tags.add(tag)
    AuthorshipFactory(publication=PublicationFactory(title="Hers, untagged"), person=jane)
    page = PageFactory(slug="papers")
    section = SectionFactory(page=page, kind=Section.Kind.COLLECTION,
                             collection=Collection.PUBLICATIONS, tag=tag, person=jane)  # fmt: skip

    html = client.get("/papers/").content.decode()

    assert [p.title for p in collection_items(section)] == ["Tagged and hers"]
    assert "Tagged and hers" in html
    assert "Tagged, not hers" not in html and "Hers, untagged" not in html
