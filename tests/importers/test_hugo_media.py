"""`import_hugo` and media: renditions are made on first use, not during the import."""

import io
import re
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
    # Not among the people the home page shows; as an author of a featured paper, linked.
    papers = "".join(re.findall(r'<article class="pub.*?</article>', home, flags=re.S))
    assert 'href="/people/solo-visitor/"' in papers
    assert "/people/solo-visitor/" not in home.replace(papers, "")


def test_the_admin_shows_and_filters_the_listed_flag(admin_client):
    person = PersonFactory(listed=False)

    form = admin_client.get(f"/admin/people/person/{person.pk}/change/").content.decode()
    changelist = admin_client.get("/admin/people/person/?listed__exact=0").content.decode()

    assert 'name="listed"' in form and 'name="listed" checked' not in form
    assert person.name in changelist


# ---- documents of a bundle: stored as media, old URLs redirect to them ----------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_bundle_pdf_is_kept_as_media_and_its_old_url_redirects_to_it(mini, client, settings):
    bundle = mini / "content" / "publication" / "doe2024robust"
    (bundle / "paper.pdf").write_bytes(PDF)
    (bundle / "slides.pptx").write_bytes(b"PK\x03\x04 slides")
    index = bundle / "index.md"
    index.write_text(index.read_text().replace("url_pdf: arxiv.org/pdf/2401.00001.pdf",
                                               "url_pdf: paper.pdf"))  # fmt: skip

    run(mini)

    from research.models import Publication

    paper = Publication.objects.get(slug__contains="robust")
    assert paper.url_pdf.startswith("/media/files/") and paper.url_pdf.endswith("/paper.pdf")
    old = client.get("/publication/doe2024robust/paper.pdf")
    assert old.status_code == 301 and old["Location"] == paper.url_pdf
    stored = client.get(paper.url_pdf)
    assert stored.status_code == 200 and b"".join(stored.streaming_content) == PDF
    slides = client.get("/publication/doe2024robust/slides.pptx")
    assert slides.status_code == 301 and slides["Location"].endswith("/slides.pptx")
    assert f'href="{paper.url_pdf}"' in client.get(paper.get_absolute_url()).content.decode()
    stored_files = sorted(p.name for p in (Path(settings.MEDIA_ROOT) / "files").rglob("*.*"))
    run(mini)  # again: the same files, not copies
    assert (
        sorted(p.name for p in (Path(settings.MEDIA_ROOT) / "files").rglob("*.*"))
        == (stored_files)
        == ["paper.pdf", "slides.pptx"]
    )


def test_bundle_documents_leading_outside_or_too_large_are_warnings(
    mini, tmp_path, settings, monkeypatch
):
    outside = tmp_path / "secret.pdf"
    outside.write_bytes(PDF)
    bundle = mini / "content" / "publication" / "doe2024robust"
    (bundle / "leak.pdf").symlink_to(outside)
    (bundle / "huge.pdf").write_bytes(PDF * 10)
    monkeypatch.setattr("importers.hugo.bundle_files.MAX_FILE_BYTES", len(PDF) * 5)

    report = run(mini)

    assert "'leak.pdf' points outside the site; left out" in report
    assert "'huge.pdf' is larger than" in report
    assert not (Path(settings.MEDIA_ROOT) / "files").exists()


def test_the_same_picture_is_processed_once_and_each_person_owns_a_file(mini, monkeypatch):
    import airml.images
    from people.models import Person

    calls = []
    original = airml.images.process
    monkeypatch.setattr(airml.images, "process", lambda d, *a: calls.append(d) or original(d, *a))
    jane = mini / "content" / "authors" / "jane-doe"
    shutil.copy(jane / "avatar.jpg", mini / "content" / "authors" / "admin" / "avatar.jpg")
    picture = (jane / "avatar.jpg").read_bytes()

    run(mini)

    names = [Person.objects.get(slug=s).avatar.name for s in ("jane-doe", "max-student")]
    assert all(names) and names[0] != names[1]
    assert names[0].split("-", 1)[1] == names[1].split("-", 1)[1]  # same size, own file
    assert calls.count(picture) == 1  # jane's and max's avatar: one picture, processed once


# ---- cta shortcodes and collection filters ----------------------------------------------


def test_cta_shortcodes_of_a_page_become_call_to_action_sections(mini, client):
    (mini / "content" / "positions.md").write_text(
        "---\ntitle: Open Positions\n---\nWe are hiring.\n\n"
        '{{< cta cta_text="Apply now" cta_link="/contact/" >}}\n\n'
        'More text.\n\n{{< cta cta_text="Read the call" cta_link="https://example.org/call" >}}'
        "Deadline in May.{{< /cta >}}\n"
    )

    run(mini)

    from pages.models import Page, Section

    page = Page.objects.get(slug="positions")
    ctas = [(s.kind, s.button_label, s.button_url, s.body) for s in page.sections.all()]
    assert ctas == [
        (Section.Kind.CTA, "Apply now", "/contact/", ""),
        (Section.Kind.CTA, "Read the call", "https://example.org/call", "Deadline in May."),
    ]
    assert "cta" not in page.body and "More text." in page.body
    html = client.get("/positions/").content.decode()
    assert 'href="https://example.org/call"' in html and "Apply now" in html


def test_collection_filters_are_mapped_or_reported(mini):
    home = mini / "content" / "_index.md"
    home.write_text(
        home.read_text().replace(
            "      filters:\n        featured_only: true\n",
            "      filters:\n        featured_only: true\n"
            "        publication_type: article-journal\n        tag: robustness\n"
            "        exclude_past: true\n        author: ''\n",
        )
    )

    report = run(mini)

    from pages.models import Section

    section = Section.objects.get(title="Featured papers")
    assert section.featured_only and section.publication_type == "article-journal"
    assert section.tag.slug == "robustness"
    assert "collection filter 'tag'" not in report
    assert "collection filter 'exclude_past' is not supported; ignored" in report
    assert "collection filter 'author'" not in report  # empty: nothing lost


def test_collection_tag_and_author_filters_list_only_their_items(mini, client):
    home = mini / "content" / "_index.md"
    home.write_text(
        home.read_text().replace(
            "      filters:\n        featured_only: true\n",
            "      filters:\n        tag: Robustness\n        author: jane-doe\n",
        )
    )

    report = run(mini)

    from pages.models import Section

    section = Section.objects.get(title="Featured papers")
    assert (section.tag.slug, section.person.slug) == ("robustness", "jane-doe")
    assert "collection filter" not in report
    html = client.get("/").content.decode()
    listed = html.split("Featured papers", 1)[1].split("Team", 1)[0]
    assert "Robust Certification at Scale" in listed  # Jane's, tagged robustness
    assert "A Legacy Single-File Publication" not in listed  # J. Doe's, untagged
    assert "Only BibTeX Here" not in listed  # neither hers nor tagged


def test_collection_author_nobody_imported_is_a_warning(mini):
    home = mini / "content" / "_index.md"
    home.write_text(
        home.read_text().replace(
            "      filters:\n        featured_only: true\n",
            "      filters:\n        author: nobody-here\n",
        )
    )

    report = run(mini)

    from pages.models import Section

    assert Section.objects.get(title="Featured papers").person is None
    assert "collection filter author 'nobody-here' is nobody imported; ignored" in report


def test_event_slides_in_its_bundle_are_kept_as_media(mini, client):
    talk = mini / "content" / "event" / "keynote"
    (talk / "slides.pdf").write_bytes(PDF)
    index = talk / "index.md"
    index.write_text(
        index.read_text().replace(
            "url_slides: https://example.org/slides.pdf", "url_slides: slides.pdf"
        )
    )

    run(mini)

    from news.models import Event

    event = Event.objects.get()
    assert event.url_slides.startswith("/media/files/") and event.url_slides.endswith("/slides.pdf")
    old = client.get("/event/keynote/slides.pdf")
    assert old.status_code == 301 and old["Location"] == event.url_slides
