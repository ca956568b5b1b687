"""Edges an editor can hit by accident or a visitor on purpose: a change form posted
without its edit base, and `next` addresses that lead off the site."""

import pytest

from news.models import NewsItem
from tests.admin_forms import admin_form_data, assert_saved
from tests.factories import NewsFactory, UserFactory

pytestmark = pytest.mark.django_db


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def test_conflict_check_fails_closed_without_edit_base(staff_client):
    news = NewsFactory(title="Old title")
    data = admin_form_data(staff_client.get(change_url(news)))
    del data["_edit_base"]
    data["title"] = "Typed without a base"

    response = staff_client.post(change_url(news), data)

    assert response.status_code == 200
    errors = str(response.context["adminform"].form.non_field_errors())
    assert "did not say which version" in errors
    assert NewsItem.objects.get(pk=news.pk).title == "Old title"
    assert 'value="Typed without a base"' in response.content.decode()  # input kept
    # The form shown again carries a base: saving it again keeps the editor's text.
    again = admin_form_data(response)
    assert again["_edit_base"]
    assert_saved(staff_client.post(change_url(news), again))
    assert NewsItem.objects.get(pk=news.pk).title == "Typed without a base"


def test_conflict_check_fails_closed_with_forged_edit_base(staff_client):
    news = NewsFactory(title="Old title")
    data = admin_form_data(staff_client.get(change_url(news)))
    data["_edit_base"] = "forged:value"
    data["title"] = "Forged"

    response = staff_client.post(change_url(news), data)

    assert response.status_code == 200
    assert NewsItem.objects.get(pk=news.pk).title == "Old title"


@pytest.mark.parametrize(
    "unsafe", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"]
)
def test_unsafe_next_after_sign_in_falls_back_to_admin_index(client, unsafe):
    UserFactory(username="ada", password="a-long-password-1", is_staff=True)

    response = client.post(
        f"/admin/login/?next={unsafe}",
        {"username": "ada", "password": "a-long-password-1", "next": unsafe},
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/"])
def test_unsafe_next_after_sign_out_falls_back_to_home(staff_client, unsafe):
    response = staff_client.post(f"/admin/logout/?next={unsafe}", {"next": unsafe})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert staff_client.get("/").status_code == 200


def test_safe_next_after_sign_in_is_followed(client):
    UserFactory(username="ada", password="a-long-password-1", is_staff=True)

    response = client.post(
        "/admin/login/?next=/admin/news/newsitem/",
        {"username": "ada", "password": "a-long-password-1", "next": "/admin/news/newsitem/"},
    )

    assert response["Location"] == "/admin/news/newsitem/"
