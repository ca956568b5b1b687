"""Changing the slug of any public item through the admin keeps its old URL working."""

import pytest
from django.contrib.redirects.models import Redirect

from tests.admin_forms import admin_form_data, admin_url, assert_saved
from tests.factories import (
    PUBLIC_TYPES,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def change_slug(client, obj, slug):
    url = admin_url(obj)
    data = admin_form_data(client.get(url))
    data["slug"] = slug
    assert_saved(client.post(url, data))


@pytest.mark.parametrize("kind", PUBLIC_TYPES)
def test_slug_change_redirects_the_old_url(staff_client, client, kind):
    factory, pattern, _text = PUBLIC_TYPES[kind]
    obj = factory(slug="old-name")
    assert client.get(pattern.format("old-name")).status_code == 200

    change_slug(staff_client, obj, "new-name")

    response = client.get(pattern.format("old-name"))
    assert response.status_code == 301
    assert response["Location"] == pattern.format("new-name")
    assert client.get(pattern.format("new-name")).status_code == 200
    listed = staff_client.get("/admin/redirects/redirect/").content.decode()
    assert pattern.format("old-name") in listed


def test_second_rename_updates_the_first_redirect_and_renaming_back_drops_it(staff_client):
    person = PersonFactory(slug="a")

    change_slug(staff_client, person, "b")
    change_slug(staff_client, person, "c")

    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {
        "/people/a/": "/people/c/", "/people/b/": "/people/c/"}  # fmt: skip

    change_slug(staff_client, person, "a")

    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {
        "/people/b/": "/people/a/", "/people/c/": "/people/a/"}  # fmt: skip


def test_saving_without_slug_change_adds_no_redirect(staff_client):
    person = PersonFactory(slug="same")

    change_slug(staff_client, person, "same")

    assert not Redirect.objects.exists()


def test_editors_see_the_redirects_their_slug_changes_make(client):
    from django.contrib.auth.models import Group as AuthGroup

    from tests.factories import UserFactory

    editor = UserFactory(is_staff=True)
    editor.groups.add(AuthGroup.objects.get(name="Editor"))
    client.force_login(editor)
    person = PersonFactory(slug="before")

    change_slug(client, person, "after")

    listed = client.get("/admin/redirects/redirect/")
    assert listed.status_code == 200
    assert "/people/before/" in listed.content.decode()
