"""Person admin uploads: every refused avatar is a form error (200, never 500) that
keeps the rest of the form, and a good one replaces the old avatar without EXIF."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from people.models import Person
from tests import image_corpus
from tests.admin_forms import admin_form_data, assert_saved
from tests.airml.test_images import exif_with_gps_and_orientation
from tests.factories import PersonFactory, image_file

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [case[1:] for case in image_corpus.corpus()],
    ids=[case[0] for case in image_corpus.corpus()],
)
def test_refused_avatar_is_a_form_error_and_keeps_the_rest(staff_client, name, content,
                                                           content_type, message):  # fmt: skip
    url = "/admin/people/person/add/"
    data = admin_form_data(staff_client.get(url))
    data.update({"first_name": "Eve", "last_name": "Hacker", "slug": "eve",
                 "short_bio": "Curious about uploads.",
                 "avatar": SimpleUploadedFile(name, content, content_type)})  # fmt: skip

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors["avatar"])
    html = response.content.decode()
    assert 'value="Hacker"' in html and 'value="Curious about uploads."' in html
    assert not Person.objects.exists()


def test_refused_avatar_on_change_keeps_the_old_one(staff_client):
    person = PersonFactory(avatar=image_file("old.jpg"))
    old_name = person.avatar.name
    url = f"/admin/people/person/{person.pk}/change/"
    data = admin_form_data(staff_client.get(url))
    data["short_bio"] = "New bio"
    data["avatar"] = SimpleUploadedFile("x.svg", image_corpus.SVG, "image/svg+xml")

    response = staff_client.post(url, data)

    assert response.status_code == 200
    person.refresh_from_db()
    assert person.avatar.name == old_name and person.short_bio != "New bio"


def test_uploaded_avatar_is_stored_without_gps(staff_client):
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(
        buffer, "JPEG", exif=exif_with_gps_and_orientation(orientation=6).tobytes()
    )
    person = PersonFactory()
    url = f"/admin/people/person/{person.pk}/change/"
    data = admin_form_data(staff_client.get(url))
    data["avatar"] = SimpleUploadedFile("IMG_0001.JPG", buffer.getvalue(), "image/jpeg")
    data["avatar_alt"] = "Portrait in the lab"

    assert_saved(staff_client.post(url, data))

    person.refresh_from_db()
    assert person.avatar.name.startswith("avatars/") and person.avatar.name.endswith("-40x60.jpg")
    with person.avatar.open() as stored, Image.open(stored) as image:
        assert image.size == (40, 60)
        assert dict(image.getexif()) == {}


def test_image_assigned_in_code_is_processed_too():
    buffer = io.BytesIO()
    Image.new("RGB", (50, 50), "white").save(
        buffer, "PNG", exif=exif_with_gps_and_orientation().tobytes()
    )
    person = PersonFactory(avatar=SimpleUploadedFile("home.png", buffer.getvalue()))

    assert person.avatar.name.endswith("-50x50.png") and "home" not in person.avatar.name
    with person.avatar.open() as stored, Image.open(stored) as image:
        assert dict(image.getexif()) == {}
