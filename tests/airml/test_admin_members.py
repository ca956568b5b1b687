"""What the new editing tools let a Member do: pick tags, directions and projects for
their own papers by typing, but not reorder people or look up accounts."""

import json

import pytest
from django.contrib.auth.models import Group as AuthGroup

from airml.roles import MEMBER
from tests.factories import (
    DirectionFactory,
    PersonFactory,
    ProjectFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client):
    user = UserFactory(is_staff=True, username="student")
    user.groups.add(AuthGroup.objects.get(name=MEMBER))
    PersonFactory(user=user, slug="student")
    client.force_login(user)
    return client


def autocomplete(client, model, field, term):
    params = {"app_label": "research", "model_name": model, "field_name": field, "term": term}
    return client.get("/admin/autocomplete/", params)


@pytest.mark.parametrize(
    ("field", "make", "term"),
    [("tags", lambda: TagFactory(name="robustness"), "robust"),
     ("directions", lambda: DirectionFactory(title="Robust learning"), "Robust"),
     ("projects", lambda: ProjectFactory(title="Robust vision"), "Robust")],
)  # fmt: skip
def test_member_picks_tags_directions_and_projects_by_typing(member_client, field, make, term):
    obj = make()

    response = autocomplete(member_client, "publication", field, term)

    assert response.status_code == 200
    assert [r["id"] for r in json.loads(response.content)["results"]] == [str(obj.pk)]


def test_member_may_not_look_up_accounts(member_client):
    params = {"app_label": "people", "model_name": "person", "field_name": "user", "term": "s"}

    assert member_client.get("/admin/autocomplete/", params).status_code == 403


def test_member_may_not_reorder_people(member_client):
    other = PersonFactory(slug="other", order=5)

    response = member_client.post(
        "/admin/people/person/adminsortable2_update/",
        json.dumps({"updatedItems": [[other.pk, 1]]}),
        content_type="application/json",
    )

    assert response.status_code == 403
    other.refresh_from_db()
    assert other.order == 5


def test_member_may_not_open_tags_admin(member_client):
    assert member_client.get("/admin/research/tag/").status_code == 403
