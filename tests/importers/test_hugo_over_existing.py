"""`import_hugo` over content that is already there (the seed, or another import):
same slugs are overwritten and reported as updated, the menu is merged, the JSON
report names every file, and the old site's rule-based URLs answer."""

import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image as PILImage

from importers.hugo.base import _rules_as_html
from news.models import NewsItem
from pages.models import MenuItem, Page, Section, SiteLink, SiteSettings
from research.models import Publication

pytestmark = pytest.mark.django_db

MINI = Path(__file__).resolve().parent / "hugo_sites" / "blox-mini"


def run(*args):
    out = io.StringIO()
    call_command("import_hugo", str(MINI), *args, stdout=out)
    return out.getvalue()


def test_import_after_the_seed_updates_its_pages_and_merges_the_menu(tmp_path):
    call_command("load_seed", stdout=io.StringIO())
    seed_home = Page.objects.get(slug="home")
    seed_menu = {m.url for m in MenuItem.objects.all()}
    report_file = tmp_path / "report.json"

    run("--report", str(report_file))

    assert Page.objects.filter(slug="home").get().pk == seed_home.pk  # not duplicated
    records = {r["file"]: r for r in json.loads(report_file.read_text())["files"]}
    assert records["content/_index.md"]["outcome"] == "updated"
    menu = {m.url: m.label for m in MenuItem.objects.all()}
    assert seed_menu <= set(menu)  # the seed's items stay
    assert menu["/publications/"] == "Papers"  # the same link takes the site's label
    assert menu["/people/"] == "Team"  # /team/ is the people page here
    assert list(MenuItem.objects.values_list("url", flat=True)[:2]) == ["/", "/people/"]


def test_report_names_every_content_file_with_an_outcome(tmp_path):
    report_file = tmp_path / "report.json"

    printed = run("--report", str(report_file))

    records = json.loads(report_file.read_text())["files"]
    files = {
        p.relative_to(MINI).as_posix()
        for p in (MINI / "content").rglob("*")
        if p.suffix in (".md", ".bib")
    }
    assert files <= {r["file"] for r in records}
    bib = next(r for r in records if r["file"].endswith("doe2024robust/cite.bib"))
    assert bib["outcome"] == "merged"
    assert bib["object"]["url"] == Publication.objects.get(slug="doe2024robust").get_absolute_url()
    assert "Files:" in printed


def test_old_rule_based_urls_answer_with_permanent_redirects(client):
    run()
    publication = Publication.objects.get(slug="doe2024robust")

    expectations = {
        "/publication/": "/publications/",
        "/publication/page/2/": "/publications/?page=2",
        "/publication/page/1/": "/publications/",
        "/publication/index.xml": "/publications/feed/",
        "/post/index.xml": "/news/feed/",
        "/index.xml": "/news/feed/",
        "/publication/doe2024robust/cite.bib": f"/publications/{publication.slug}.bib",
        "/author/": "/people/",
        "/publication-type/paper-conference/": "/publications/?type=paper-conference",
        "/en/publication/doe2024robust/": publication.get_absolute_url(),
    }
    for old, new in expectations.items():
        response = client.get(old)
        assert (response.status_code, response.get("Location")) == (301, new), old
    assert client.get("/publications/feed/").status_code == 200
    assert client.get(f"/publications/{publication.slug}.bib").status_code == 200
    assert client.get("/no/such/thing/").status_code == 404


def test_translations_and_language_sitemaps_answer_by_hugos_rules(client):
    run()
    project = client.get("/projects/robust-vision/")
    assert project.status_code == 200  # its URL did not change: no redirect is stored

    expectations = {
        "/es/projects/robust-vision/": "/projects/robust-vision/",  # the translation
        "/en/sitemap.xml": "/sitemap.xml",
        "/es/sitemap.xml": "/sitemap.xml",
    }
    for old, new in expectations.items():
        response = client.get(old)
        assert (response.status_code, response.get("Location")) == (301, new), old
    assert client.get("/es/projects/no-such-project/").status_code == 404


def test_a_section_at_the_portals_own_media_address_moves_beside_it(tmp_path, client):
    site = tmp_path / "site"
    shutil.copytree(MINI, site)
    talk = site / "content" / "media" / "poster-2019"
    talk.mkdir(parents=True)
    (talk / "index.md").write_text("---\ntitle: Our poster\n---\nShown at a meeting.\n")

    call_command("import_hugo", str(site), stdout=io.StringIO())

    assert Page.objects.filter(slug="media-page").exists()  # /media/ holds uploads
    old = client.get("/media/")
    assert (old.status_code, old["Location"]) == (301, "/media-page/")
    assert "Our poster" in client.get("/media-page/").content.decode()


def test_branding_logo_favicon_and_the_labs_own_links(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(MINI, site)
    media = site / "assets" / "media"
    shutil.copy(media / "hero.png", media / "logo.png")
    gif = io.BytesIO()
    PILImage.new("RGB", (32, 32), "blue").save(gif, format="GIF")
    (site / "static").mkdir(exist_ok=True)
    (site / "static" / "favicon.png").write_bytes(gif.getvalue())  # a GIF named .png
    params = site / "config" / "_default" / "params.yaml"
    params.write_text(params.read_text() + "\nfavicon: favicon.png\ntwitter: '@ourlab'\n")

    call_command("import_hugo", str(site), stdout=io.StringIO())

    settings = SiteSettings.load()
    assert settings.logo.name.startswith("branding/")
    assert settings.favicon.name.endswith("-32x32.png")
    assert list(SiteLink.objects.values_list("kind", "url")) == [
        ("twitter", "https://twitter.com/ourlab")
    ]


def test_layout_override_text_becomes_a_hidden_section_of_its_page(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(MINI, site)
    layout = site / "layouts" / "publication" / "list.html"
    layout.parent.mkdir(parents=True)
    layout.write_text(
        '{{ define "main" }}<h2>Earlier work</h2><ul><li>Doe, J. A paper on vision '
        "we wrote in 1999, printed in the proceedings.</li></ul>{{ range .Pages }}"
        "{{ .Title }}{{ end }}<script>var x = 'not text at all, never shown';</script>{{ end }}"
    )
    (site / "content" / "publication" / "_index.md").write_text("---\ntitle: Papers\n---\n")
    partial = site / "layouts" / "partials" / "footer.html"
    partial.parent.mkdir(parents=True)
    partial.write_text("<p>Copyright the lab, all rights reserved, do not copy this page.</p>")
    report_file = tmp_path / "report.json"

    call_command("import_hugo", str(site), "--report", str(report_file), stdout=io.StringIO())

    section = Section.objects.get(page__slug="publications", title="Earlier work")
    assert "A paper on vision we wrote in 1999" in section.body
    assert "not text at all" not in section.body and "{{" not in section.body
    assert section.is_visible is False
    records = {r["file"]: r for r in json.loads(report_file.read_text())["files"]}
    assert records["layouts/publication/list.html"]["outcome"] == "merged"
    assert records["layouts/partials/footer.html"]["outcome"] == "not imported"


def test_thematic_breaks_inside_html_blocks_render_as_rules_not_dashes():
    body = "<div>\n\n---\n\nText\n---\n\n```yaml\n---\ntitle: x\n```\n"

    converted = _rules_as_html(body)

    assert converted == "<div>\n\n<hr>\n\nText\n---\n\n```yaml\n---\ntitle: x\n```\n"


def test_hero_slideshow_images_keep_caption_and_date(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(MINI, site)
    landing = site / "content" / "_index.md"
    landing.write_text(
        landing.read_text().replace(
            "      image:\n        filename: hero.png\n",
            "      images:\n        - image: hero.png\n          caption: Field trip\n"
            "          date: 2023-05-04\n        - image: missing.png\n",
        )
    )

    printed = run_site(site)

    hero = Section.objects.get(page__slug="home", kind=Section.Kind.HERO)
    photo = hero.photos.get()
    assert (photo.caption, photo.date.isoformat()) == ("Field trip", "2023-05-04")
    assert "hero image 'missing.png' not found" in printed


def run_site(site):
    out = io.StringIO()
    call_command("import_hugo", str(site), stdout=out)
    return out.getvalue()


def test_an_impossible_date_is_an_error_with_file_and_line_bare_years_are_read(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(MINI, site)
    post = site / "content" / "post" / "odd"
    post.mkdir()
    (post / "index.md").write_text("---\ntitle: Odd\nsummary: x\ndate: 2024-13-45\n---\nText")
    year = site / "content" / "post" / "bare"
    year.mkdir()
    (year / "index.md").write_text("---\ntitle: Bare\ndate: 2022\n---\nText")
    (site / "content" / "post" / "plain.md").write_text("No front matter at all.")

    with pytest.raises(CommandError, match=r"post/odd/index.md:4: impossible date '2024-13-45'"):
        run_site(site)
    (post / "index.md").write_text("---\ntitle: Odd\ndate: ''\n---\nText")
    printed = run_site(site)

    assert NewsItem.objects.get(slug="bare").date.isoformat() == "2022-01-01"
    assert NewsItem.objects.filter(slug="plain").exists()
    assert "content/post/odd/index.md: no date; set to today" in printed


def test_contact_block_details_go_to_the_site_settings(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(MINI, site)
    landing = site / "content" / "_index.md"
    landing.write_text(
        landing.read_text().replace(
            "  - block: collection\n",
            "  - block: contact\n    content:\n      title: Visit us\n"
            "      phone: '+34 958 000 000'\n      directions: Second floor, room 12\n"
            "      coordinates: {latitude: '37.19', longitude: '-3.62'}\n"
            "  - block: collection\n",
            1,
        )
    )

    run_site(site)

    settings = SiteSettings.load()
    assert (settings.phone, settings.directions) == ("+34 958 000 000", "Second floor, room 12")
    assert "mlat=37.19&mlon=-3.62" in settings.map_url
    assert Section.objects.filter(page__slug="home", kind=Section.Kind.CONTACT).exists()
