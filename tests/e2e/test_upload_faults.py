"""A Markdown image dropped into the editor while the media disk is full: the editor
says why, the typed text stays, and no file is written."""

import base64

import pytest

from tests.factories import image_file

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DROP = """([data]) => {
  const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], "figure.jpg", {type: "image/jpeg"}));
  document.querySelector("textarea.markdownx-editor")
    .dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true}));
}"""


def test_markdown_image_drop_on_full_disk_says_why_and_keeps_the_text(visit, settings):
    from tests.factories import UserFactory

    UserFactory(username="editor", is_staff=True, is_superuser=True)
    browser = visit()
    page = browser.page
    browser.goto("/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw-for-tests-123")
    with page.expect_navigation():
        page.click("input[type=submit]")
    browser.goto("/admin/news/newsitem/add/")
    page.fill("textarea.markdownx-editor", "Text typed before the upload.")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.airml.test_storage_faults.FullDiskStorage"},
    }

    data = base64.b64encode(image_file().read()).decode()
    with page.expect_response("**/markdownx/upload/") as upload:
        page.evaluate(DROP, [data])

    assert upload.value.status == 507
    alert = page.wait_for_selector(".airml-upload-errors li")
    assert alert.text_content().startswith("The image could not be stored: the disk is full.")
    assert page.input_value("textarea.markdownx-editor").startswith("Text typed before the upload.")
    files = [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]
    assert files == []
