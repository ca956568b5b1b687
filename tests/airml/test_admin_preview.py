"""Live preview: the public page with the form's unsaved changes; nothing is saved."""

import pytest
from django.contrib.redirects.models import Redirect
from reversion.models import Version

from news.models import NewsItem
from research.models import Publication
from tests.admin_forms import add_inline_rows, admin_form_data, admin_url
from tests.factories import (
    PUBLIC_TYPES,
    AuthorshipFactory,
    PersonFactory,
    PublicationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", PUBLIC_TYPES)
def test_preview_shows_unsaved_text_and_saves_nothing(staff_client, kind):
    factory, _url, field = PUBLIC_TYPES[kind]
    obj = factory(slug="preview-me", **{field: "The saved text."})
    data = admin_form_data(staff_client.get(admin_url(obj)))
    assert 'formaction="' + admin_url(obj, "preview") + '"' in (
        staff_client.get(admin_url(obj)).content.decode())  # fmt: skip
    data[field] = "The **unsaved** text."
    versions = Version.objects.count()

    response = staff_client.post(admin_url(obj, "preview"), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "The <strong>unsaved</strong> text." in html
    assert "no-store" in response["Cache-Control"]
    obj.refresh_from_db()
    assert getattr(obj, field) == "The saved text."
    assert Version.objects.count() == versions


def test_preview_of_a_slug_change_adds_no_redirect(staff_client):
    person = PersonFactory(slug="stays")
    data = admin_form_data(staff_client.get(admin_url(person)))
    data["slug"] = "moved"

    response = staff_client.post(admin_url(person, "preview"), data)

    assert response.status_code == 200
    assert not Redirect.objects.exists()
    person.refresh_from_db()
    assert person.slug == "stays"


def test_preview_includes_unsaved_inline_authors(staff_client):
    paper = PublicationFactory(slug="p1", title="A paper")
    AuthorshipFactory(publication=paper, name="Saved Author", order=0)
    data = admin_form_data(staff_client.get(admin_url(paper)))
    add_inline_rows(data, "authorships", [{"name": "Grace Hopper", "order": 1, "note": ""}])

    html = staff_client.post(admin_url(paper, "preview"), data).content.decode()

    assert "Grace Hopper" in html and "Saved Author" in html
    assert list(paper.authorships.values_list("name", flat=True)) == ["Saved Author"]


def test_preview_of_a_new_item(staff_client):
    url = "/admin/news/newsitem/add/"
    data = admin_form_data(staff_client.get(url))
    data.update({"title": "Not yet news", "slug": "not-yet", "body": "Coming *soon*.",
                 "publish_at_0": "2025-06-02", "publish_at_1": "09:30:00"})  # fmt: skip

    response = staff_client.post("/admin/news/newsitem/add/preview/", data)

    assert "Coming <em>soon</em>." in response.content.decode()
    assert not NewsItem.objects.filter(slug="not-yet").exists()


def test_preview_with_errors_lists_them(staff_client):
    url = "/admin/research/publication/add/"
    data = admin_form_data(staff_client.get(url))

    response = staff_client.post("/admin/research/publication/add/preview/", data)

    assert "Nothing to preview yet" in response.content.decode()
    assert not Publication.objects.exists()


def test_preview_is_for_staff_only(client):
    paper = PublicationFactory()

    response = client.post(f"/admin/research/publication/{paper.pk}/preview/", {})

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
