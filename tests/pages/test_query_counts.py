"""Query budget: every public page runs the same few queries with 3 or 60 items of each kind."""

import pytest
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from airml.models import ListingView
from pages.models import Collection, Section, SiteSettings
from people.models import Group
from research.models import Project, Publication, ResearchDirection
from tests.factories import (
    AuthorshipFactory,
    DirectionFactory,
    GroupFactory,
    NewsFactory,
    PageFactory,
    PersonFactory,
    ProjectFactory,
    PublicationFactory,
    SectionFactory,
    SocialLinkFactory,
)

pytestmark = pytest.mark.django_db

# Upper bounds per page; the real assertion is that 3 and 60 items cost the same.
# Each includes the site context's two queries (settings and menu) on a cold cache;
# /publications/ adds six for its filter facets: year, type and featured in one; each
# of direction, person and tag counted, then named (tags only when there are some).
# Each also includes one query made when the content version is missing (cold cache,
# or right after any edit): the earliest scheduled `publish_at`, so the full-page
# cache (airml.cache) knows when it must go stale by itself. It was +1 on every page
# when the page cache came; warm, a page costs what it did before.
# Search: one query per kind of result (7). Feeds: the items, plus the `Site` row that
# django.contrib.syndication looks up (once per process; cleared here to count it).
# Sitemap: one per section (7). robots.txt: only the content version.
BUDGET = {
    "/": 7, "/research/": 6, "/people/": 8, "/publications/": 12, "/projects/": 6,
    "/news/": 6, "/everything/": 18, "/people/member-0/": 11,
    "/publications/paper-0/": 10, "/projects/project-0/": 10, "/research/direction-0/": 9,
    "/news/news-0/": 4,
    "/search/?q=Lovelace": 10, "/news/feed/": 5, "/news/atom/": 5, "/publications/feed/": 5,
    "/publications/atom/": 5, "/sitemap.xml": 8, "/robots.txt": 1,
}  # fmt: skip


def build_lab(n):
    SiteSettings.load()
    groups = [GroupFactory(slug=f"g{i}", name=f"Group {i}") for i in range(3)]
    direction = None
    people = []
    for i in range(n):
        person = PersonFactory(slug=f"member-{i}", groups=[groups[i % 3]],
                               member_status="alumni" if i % 4 == 3 else "current")  # fmt: skip
        SocialLinkFactory(person=person)
        SocialLinkFactory(person=person, kind="orcid", url="https://orcid.org/0000")
        person.education.create(course="PhD", institution="ETH")
        people.append(person)
    for i in range(n):
        direction = DirectionFactory(slug=f"direction-{i}")
        direction.people.add(people[i])
        project = ProjectFactory(slug=f"project-{i}", featured=i % 2 == 0)
        project.directions.add(direction)
        project.people.add(people[i])
        publication = PublicationFactory(slug=f"paper-{i}", featured=i % 2 == 0)
        AuthorshipFactory(publication=publication, person=people[i], name="")
        AuthorshipFactory(publication=publication, person=people[(i + 1) % n], name="")
        AuthorshipFactory(publication=publication, name="External Author")
        publication.directions.add(direction)
        publication.projects.add(project)
        publication.links.create(name="Extra", url="https://example.org")
        NewsFactory(slug=f"news-{i}")
    home = PageFactory(slug="home")
    SectionFactory(page=home, kind=Section.Kind.HERO, title="Hero")
    SectionFactory(page=home, kind=Section.Kind.COLLECTION, collection=Collection.NEWS,
                   view=ListingView.NEWS, count=5)  # fmt: skip
    SectionFactory(page=home, kind=Section.Kind.CTA, button_label="Meet the team",
                   button_url="/people/")  # fmt: skip
    everything = PageFactory(slug="everything")
    for i, collection in enumerate(Collection.values[1:]):
        SectionFactory(page=everything, kind=Section.Kind.COLLECTION, collection=collection,
                       view=ListingView.values[i % 6])  # fmt: skip
    SectionFactory(page=everything, kind=Section.Kind.PEOPLE)
    SectionFactory(page=everything, kind=Section.Kind.CONTACT)


def queries_for(client, url):
    cache.clear()
    Site.objects.clear_cache()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", list(BUDGET))
def test_query_count_does_not_grow_with_data(client, url):
    build_lab(3)
    few = queries_for(client, url)
    build_lab_more(57)
    many = queries_for(client, url)

    assert few == many, f"{url}: {few} queries with 3 items, {many} with 60"
    assert many <= BUDGET[url]


def build_lab_more(extra):
    """Add more of everything on top of build_lab(3), reusing its groups."""
    groups = list(Group.objects.all())
    people = []
    for i in range(extra):
        person = PersonFactory(slug=f"more-member-{i}", groups=[groups[i % 3]],
                               member_status="alumni" if i % 4 == 3 else "current")  # fmt: skip
        SocialLinkFactory(person=person)
        people.append(person)
    for i in range(extra):
        direction = DirectionFactory(slug=f"more-direction-{i}")
        direction.people.add(people[i])
        project = ProjectFactory(slug=f"more-project-{i}")
        project.people.add(people[i])
        project.directions.add(direction)
        publication = PublicationFactory(slug=f"more-paper-{i}")
        AuthorshipFactory(publication=publication, person=people[i], name="")
        AuthorshipFactory(publication=publication, name="External Author")
        publication.directions.add(direction)
        NewsFactory(slug=f"more-news-{i}")
    # The detail pages' own relations grow too.
    target = Publication.objects.get(slug="paper-0")
    for person in people[:20]:
        AuthorshipFactory(publication=target, person=person, name="")
    ResearchDirection.objects.get(slug="direction-0").people.add(*people[:20])
    Project.objects.get(slug="project-0").people.add(*people[:20])
    for publication in Publication.objects.filter(slug__startswith="more-paper-")[:20]:
        AuthorshipFactory(publication=publication, person_id=target.authorships.first().person_id,
                          name="")  # fmt: skip
        publication.projects.add(Project.objects.get(slug="project-0"))
        publication.directions.add(ResearchDirection.objects.get(slug="direction-0"))


def test_site_context_is_cached(client, settings):
    """Rendered again with the page cache off, a page reads the settings and the menu
    from the cache: two queries fewer, and none on their tables."""
    settings.PAGE_CACHE_SECONDS = 0
    build_lab(3)
    with CaptureQueriesContext(connection) as first:
        client.get("/news/")
    with CaptureQueriesContext(connection) as second:
        client.get("/news/")

    site_tables = ("pages_sitesettings", "pages_menuitem")
    assert any(t in q["sql"] for q in first.captured_queries for t in site_tables)
    assert not any(t in q["sql"] for q in second.captured_queries for t in site_tables)
    # first: + settings, menu and links (one UNION), the scheduled-items query
    assert len(second.captured_queries) == len(first.captured_queries) - 3
