"""Forms shaped for the task: a paper's authors right under title, venue and date;
the rest folded; typing to pick people, tags, directions and projects; rows dragged
into order."""

import re

import pytest

from tests.factories import AuthorshipFactory, PageFactory, PublicationFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_publication_authors_come_right_after_title_venue_and_date(staff_client):
    paper = PublicationFactory()
    AuthorshipFactory(publication=paper, name="Grace Hopper")

    html = staff_client.get(f"/admin/research/publication/{paper.pk}/change/").content.decode()

    order = [html.index(marker) for marker in
             ('id="id_title"', 'id="id_venue"', 'id="id_date"', 'id="authorships-group"',
              'id="id_abstract"', ">Links</h2>")]  # fmt: skip
    assert order == sorted(order)
    assert html.count('id="authorships-group"') == 1


def test_links_and_details_are_folded(staff_client):
    html = staff_client.get("/admin/research/publication/add/").content.decode()

    folded = re.findall(r"<details><summary>\s*<h2[^>]*>([^<]+)</h2>", html)
    names = [name.strip() for name in folded]
    assert {"Links", "Recognition and versions", "Citation", "Summary, notes and image"} <= set(
        names
    )


@pytest.mark.parametrize(
    ("url", "fields"),
    [("/admin/research/publication/add/", ["directions", "projects", "tags"]),
     ("/admin/research/project/add/", ["directions", "people", "tags"]),
     ("/admin/research/researchdirection/add/", ["people"]),
     ("/admin/people/person/add/", ["groups"]),
     ("/admin/news/event/add/", ["people"])],
)  # fmt: skip
def test_many_to_many_fields_are_autocompletes(staff_client, url, fields):
    html = staff_client.get(url).content.decode()

    assert "selectfilter" not in html.lower()
    for field in fields:
        tag = re.search(rf'<select[^>]*name="{field}"[^>]*>', html).group(0)
        assert "admin-autocomplete" in tag and "data-ajax--url" in tag


def test_authors_sections_and_photos_are_sortable(staff_client):
    paper = PublicationFactory()
    AuthorshipFactory(publication=paper)
    page = PageFactory()
    section = SectionFactory(page=page)

    forms = [f"/admin/research/publication/{paper.pk}/change/",
             f"/admin/pages/page/{page.pk}/change/",
             f"/admin/pages/section/{section.pk}/change/"]  # fmt: skip
    for url in forms:
        html = staff_client.get(url).content.decode()
        assert re.search(r'<fieldset class="module [^"]*\bsortable\b', html), url
        assert "adminsortable2/js/adminsortable2" in html


@pytest.mark.parametrize("model", ["people/person", "pages/menuitem", "people/group"])
def test_lists_are_sortable_by_dragging(staff_client, model):
    html = staff_client.get(f"/admin/{model}/").content.decode()

    assert 'id="admin_sortable2_config"' in html
    assert "adminsortable2/js/adminsortable2" in html
