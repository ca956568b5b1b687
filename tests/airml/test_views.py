"""Uploaded media served by Django: never sniffed, never run as a page."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def upload(settings):
    folder = settings.MEDIA_ROOT / "markdown"
    folder.mkdir(parents=True)
    (folder / "evil.html").write_text("<script>alert(1)</script>")
    return "/media/markdown/evil.html"


def test_media_is_served_sandboxed_and_nosniff(client, upload):
    response = client.get(upload)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert "max-age=86400" in response["Cache-Control"]


def test_media_outside_media_root_is_not_served(client, upload, settings):
    (settings.MEDIA_ROOT.parent / "secret.txt").write_text("secret")

    response = client.get("/media/../secret.txt")
    encoded = client.get("/media/%2e%2e/secret.txt")

    # Refused as a suspicious path (400) or not found (404); never the file.
    assert response.status_code in (400, 404)
    assert encoded.status_code in (400, 404)
    assert b"secret" not in response.content + encoded.content


def test_missing_media_answers_404(client, upload):
    assert client.get("/media/markdown/nothing.png").status_code == 404
