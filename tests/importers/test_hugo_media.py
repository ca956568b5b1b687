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


# ---- authors without user_groups: a profile, listed nowhere -------------------------


def test_author_without_user_groups_has_a_profile_but_is_not_listed(mini, client):
    solo = mini / "content" / "authors" / "solo-visitor"
    solo.mkdir()
    (solo / "_index.md").write_text("---\ntitle: Solo Visitor\nrole: Visiting scholar\n---\n")
    paper = mini / "content" / "publication" / "doe2024robust" / "index.md"
    paper.write_text(paper.read_text().replace("  - Alan Turing\n", "  - solo-visitor\n"))

    run(mini)

    from people.models import Person
    from research.models import Publication

    assert not Person.objects.get(slug="solo-visitor").listed
    assert Person.objects.get(slug="jane-doe").listed
    profile = client.get("/people/solo-visitor/")
    assert profile.status_code == 200 and "Visiting scholar" in profile.content.decode()
    paper_page = client.get(Publication.objects.get(slug__contains="robust").get_absolute_url())
    assert 'href="/people/solo-visitor/"' in paper_page.content.decode()
    people = client.get("/people/").content.decode()
    assert 'href="/people/jane-doe/"' in people
    assert "/people/solo-visitor/" not in people
    home = client.get("/").content.decode()
    assert "/people/solo-visitor/" not in home


def test_the_admin_shows_and_filters_the_listed_flag(admin_client):
    person = PersonFactory(listed=False)

    form = admin_client.get(f"/admin/people/person/{person.pk}/change/").content.decode()
    changelist = admin_client.get("/admin/people/person/?listed__exact=0").content.decode()

    assert 'name="listed"' in form and 'name="listed" checked' not in form
    assert person.name in changelist
