"""django-markdownx's preview and upload endpoints: staff only, images only, nothing leaks."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import image_corpus
from tests.factories import image_file

PREVIEW = "/markdownx/markdownify/"
UPLOAD = "/markdownx/upload/"


def media_files(settings):
    found = []
    for root, _dirs, files in os.walk(settings.MEDIA_ROOT):
        found += [os.path.join(root, name) for name in files]
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "non-staff"])
def test_preview_refused_for_non_staff(client, plain_user, who):
    if who == "non-staff":
        client.force_login(plain_user)

    response = client.post(PREVIEW, {"content": "**hi**"})

    assert response.status_code == 403
    assert b"<strong>" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "non-staff"])
def test_upload_refused_for_non_staff_and_writes_nothing(client, plain_user, settings, who):
    if who == "non-staff":
        client.force_login(plain_user)
    before = media_files(settings)

    response = client.post(UPLOAD, {"image": image_file()})

    assert response.status_code == 403
    assert media_files(settings) == before


@pytest.mark.django_db
def test_preview_rejects_get_and_missing_content(staff_client):
    assert staff_client.get(PREVIEW).status_code == 405
    assert staff_client.post(PREVIEW, {}).status_code == 400


@pytest.mark.django_db
def test_preview_for_staff_uses_our_pipeline(staff_client):
    response = staff_client.post(PREVIEW, {"content": '<span class="blue-highlight">**x**</span>'})
    assert response.status_code == 200
    assert response.content.decode() == (
        '<p><span class="blue-highlight"><strong>x</strong></span></p>'
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("fmt", "ext"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")])
def test_staff_upload_stores_reencoded_image_under_random_name(staff_client, settings, fmt, ext):
    response = staff_client.post(UPLOAD, {"image": image_file(f"../../evil.{ext}", fmt)})

    assert response.status_code == 200
    code = response.json()["image_code"]
    assert code.startswith("![](/media/markdown/") and code.endswith(f".{ext})")
    assert "evil" not in code
    stored = media_files(settings)
    assert len(stored) == 1
    assert stored[0].startswith(os.path.join(str(settings.MEDIA_ROOT), "markdown"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
         "image/svg+xml"),
        ("x.html", b"<html><script>alert(1)</script></html>", "text/html"),
        ("x.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif"),
        ("x.jpg", b"\xff\xd8\xff\xe0 truncated", "image/jpeg"),
        ("x.png", b"not an image at all", "image/png"),
    ],
)  # fmt: skip
def test_staff_upload_refuses_non_raster_files(staff_client, settings, name, content,
                                               content_type):  # fmt: skip
    upload = SimpleUploadedFile(name, content, content_type=content_type)

    response = staff_client.post(UPLOAD, {"image": upload})

    assert response.status_code == 400
    assert "JPEG, PNG or WebP" in response.json()["image"][0]
    assert media_files(settings) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [case[1:] for case in image_corpus.corpus()],
    ids=[case[0] for case in image_corpus.corpus()],
)
def test_staff_upload_refuses_malicious_corpus_with_400_json(
    staff_client, settings, name, content, content_type, message
):
    upload = SimpleUploadedFile(name, content, content_type=content_type)

    response = staff_client.post(UPLOAD, {"image": upload})

    assert response.status_code == 400
    assert message in response.json()["image"][0]
    assert media_files(settings) == []


@pytest.mark.django_db
def test_staff_upload_with_wrong_extension_is_stored_with_the_detected_one(staff_client):
    response = staff_client.post(UPLOAD, {"image": image_file("photo.png", "JPEG")})

    assert response.status_code == 200
    assert response.json()["image_code"].endswith(".jpg)")
