"""`import_hugo` and media: renditions are made on first use, not during the import."""

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image as PILImage

from tests.factories import PersonFactory, image_file

pytestmark = pytest.mark.django_db

MINI = Path(__file__).resolve().parent / "hugo_sites" / "blox-mini"


def run(path, *args):
    out = io.StringIO()
    call_command("import_hugo", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def mini(tmp_path):
    target = tmp_path / "site"
    shutil.copytree(MINI, target)
    return target


def rendition_files(settings):
    root = Path(settings.MEDIA_ROOT) / "renditions"
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_import_writes_no_renditions_and_the_page_makes_them_on_first_use(mini, settings, client):
    avatar = mini / "content" / "authors" / "jane-doe" / "avatar.jpg"
    PILImage.new("RGB", (900, 900), "teal").save(avatar, format="JPEG")

    run(mini)

    assert rendition_files(settings) == []
    page = client.get("/people/jane-doe/").content.decode()
    assert "renditions/" in page and " 320w" in page and " 640w" in page
    assert len(rendition_files(settings)) == 2  # 320 and 640 (the original is 900)


def test_saving_outside_an_import_still_writes_renditions_at_once(settings):
    from airml.renditions import deferred

    with deferred():
        PersonFactory(avatar=image_file(size=(900, 900)))
    assert rendition_files(settings) == []
    PersonFactory(avatar=image_file(size=(900, 900)))
    assert len(rendition_files(settings)) == 2
