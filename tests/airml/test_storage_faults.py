"""A full or read-only media disk during an upload: a form error with the form kept,
no partial file, no row pointing at a missing file."""

import errno
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from airml.storage import AtomicFileSystemStorage
from people.models import Person
from tests.admin_forms import add_inline_rows, admin_form_data, assert_saved
from tests.factories import PersonFactory, image_file

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/people/person/add/"


class FullDiskStorage(AtomicFileSystemStorage):
    """Writes the first few bytes, then the disk is full (as write(2) reports it)."""

    def _write_chunks(self, out, content):
        out.write(content.read(16))
        out.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class ReadOnlyStorage(AtomicFileSystemStorage):
    """Media mounted read-only: nothing can even be created."""

    def _save(self, name, content):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))


def use_storage(settings, cls):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.{cls.__name__}"},
    }


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def new_person_data(client):
    data = admin_form_data(client.get(ADD_URL))
    data.update({"first_name": "Eve", "last_name": "Uploader", "slug": "eve",
                 "short_bio": "Typed with care.", "avatar_alt": "Eve in the lab",
                 "avatar": image_file("eve.jpg")})  # fmt: skip
    return data


def test_avatar_upload_on_full_disk_is_a_form_error_and_keeps_the_form(staff_client, settings):
    data = new_person_data(staff_client)
    use_storage(settings, FullDiskStorage)

    response = staff_client.post(ADD_URL, data)

    assert response.status_code == 200
    errors = str(response.context["adminform"].form.errors["avatar"])
    assert "The image could not be stored: the disk is full." in errors
    html = response.content.decode()
    assert 'value="Uploader"' in html and "Typed with care." in html
    assert not Person.objects.exists()
    assert stored_files(settings) == []  # not even a partial or temporary file


def test_avatar_upload_on_read_only_media_is_a_form_error_and_keeps_the_old_avatar(
    staff_client, settings
):
    person = PersonFactory(avatar=image_file("old.jpg"), avatar_alt="Old")
    old_name = person.avatar.name
    url = f"/admin/people/person/{person.pk}/change/"
    data = admin_form_data(staff_client.get(url))
    data.update({"short_bio": "A new bio", "avatar": image_file("new.jpg")})
    use_storage(settings, ReadOnlyStorage)

    response = staff_client.post(url, data)

    assert response.status_code == 200
    errors = str(response.context["adminform"].form.errors["avatar"])
    assert "the media storage is read-only" in errors
    assert "A new bio" in response.content.decode()
    person.refresh_from_db()
    assert person.avatar.name == old_name and person.short_bio != "A new bio"
    assert person.avatar.storage.exists(person.avatar.name)


def test_markdown_image_upload_on_full_disk_answers_the_reason_and_leaves_no_file(
    staff_client, settings
):
    use_storage(settings, FullDiskStorage)

    response = staff_client.post("/markdownx/upload/", {"image": image_file()})

    assert response.status_code == 507
    assert response.json() == {"image": [
        "The image could not be stored: the disk is full. Nothing was saved; try again "
        "later or tell the site's administrator."
    ]}  # fmt: skip
    assert stored_files(settings) == []


def test_markdown_image_upload_on_read_only_media_answers_the_reason(staff_client, settings):
    use_storage(settings, ReadOnlyStorage)

    response = staff_client.post("/markdownx/upload/", {"image": image_file()})

    assert response.status_code == 507
    assert "read-only" in response.json()["image"][0]


def test_atomic_storage_leaves_no_partial_file_when_the_disk_fills(settings):
    storage = FullDiskStorage()

    with pytest.raises(OSError) as raised:
        storage.save("markdown/big.png", ContentFile(b"x" * 100_000))

    assert raised.value.errno == errno.ENOSPC
    assert stored_files(settings) == []


def test_atomic_storage_never_replaces_an_existing_file(settings):
    storage = AtomicFileSystemStorage()
    first = storage.save("markdown/a.png", ContentFile(b"first"))

    second = storage.save("markdown/a.png", ContentFile(b"second"))

    assert first != second
    assert storage.open(first).read() == b"first" and storage.open(second).read() == b"second"
    assert oct(os.stat(storage.path(second)).st_mode & 0o777) == oct(0o644)
    assert stored_files(settings) == sorted([first, second])


def test_upload_of_a_save_that_fails_later_is_removed(staff_client, settings):
    """The avatar is stored while the person form is validated; an inline row is then
    refused, so nothing is saved and the stored file must go again."""
    data = new_person_data(staff_client)
    add_inline_rows(data, "social_links", [{"kind": "website", "url": "javascript:alert(1)"}])

    response = staff_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert not Person.objects.exists()
    assert stored_files(settings) == []


def test_upload_of_a_save_that_succeeds_is_kept_with_its_renditions(staff_client, settings):
    data = new_person_data(staff_client)
    data["avatar"] = image_file("eve.jpg", size=(800, 600))

    assert_saved(staff_client.post(ADD_URL, data))

    person = Person.objects.get()
    files = stored_files(settings)
    assert person.avatar.name in files
    assert any(name.startswith("renditions/") for name in files)


def test_avatar_as_file_named_in_code_still_saves(settings):
    person = PersonFactory(avatar=SimpleUploadedFile("a.png", image_file("a.png", "PNG").read()))

    assert person.avatar.storage.exists(person.avatar.name)


def test_atomic_storage_works_without_hard_links(settings, monkeypatch):
    def no_links(src, dst):
        raise OSError(errno.EPERM, "hard links not supported here")

    monkeypatch.setattr(os, "link", no_links)
    storage = AtomicFileSystemStorage()

    first = storage.save("markdown/a.png", ContentFile(b"first"))
    second = storage.save("markdown/a.png", ContentFile(b"second"))

    assert first != second and storage.open(first).read() == b"first"
    assert stored_files(settings) == sorted([first, second])
