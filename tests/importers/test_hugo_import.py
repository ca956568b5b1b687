"""`manage.py import_hugo`: a real lab's site, a Hugo Blox mini site, bad input, safety."""

import io
import os
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.redirects.models import Redirect
from django.core.management import CommandError, call_command
from PIL import Image as PILImage

from importers.models import ImportedItem
from news.models import Event, NewsItem
from pages.models import MenuItem, Page, Section, SiteSettings
from people.models import Group, Person
from research.models import Project, Publication

pytestmark = pytest.mark.django_db

HERE = Path(__file__).resolve().parent
MINI = HERE / "hugo_sites" / "blox-mini"
CVR = HERE.parents[2] / "shared" / "fixtures" / "hugo-sites" / "cvr-lab"
needs_cvr = pytest.mark.skipif(
    not CVR.is_dir(), reason="../shared/fixtures/hugo-sites is not beside the repository"
)


def run(path, *args):
    out = io.StringIO()
    call_command("import_hugo", str(path), *args, stdout=out)
    return out.getvalue()


def state(settings):
    """Row counts of every model of ours, plus the files under MEDIA_ROOT."""
    counts = {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("people", "research", "pages", "redirects", "auth")
    }
    root = Path(settings.MEDIA_ROOT)
    files = sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []
    return counts, files


@pytest.fixture
def mini(tmp_path):
    """A writable copy of the mini site, for tests that break or change it."""
    target = tmp_path / "site"
    shutil.copytree(MINI, target)
    return target


# ---- the real lab's site -----------------------------------------------------------


@needs_cvr
def test_cvr_lab_imports_whole_and_every_page_answers(client):
    report = run(CVR)

    assert Person.objects.count() == 7
    assert NewsItem.objects.count() == 2
    assert Event.objects.count() == 1
    assert Project.objects.count() == 15
    assert Publication.objects.count() == 20
    assert "publications           20        0          0" in report

    barranco = Person.objects.get(slug="francisco-barranco")
    assert barranco.role == "Associate Professor of Computer Engineering"
    assert barranco.avatar.name.startswith("avatars/")
    assert [g.name for g in barranco.groups.all()] == ["Principal Investigators"]
    assert [e.course for e in barranco.education.all()] == [
        "Marie Curie Fellow",
        "PhD in Computer Engineering",
    ]
    assert [link.kind for link in barranco.social_links.all()] == [
        "email",
        "google-scholar",
        "github",
    ]
    assert barranco.organisations.get().name == "Universidad de Granada"
    assert "neuromorphic engineering" in barranco.bio_html

    paper = Publication.objects.get(slug="barranco2014d")
    assert paper.title.startswith("On-chip semidense representation map")
    assert paper.pub_type == "article-journal"
    assert paper.venue == "Journal of Real-Time Image Processing"
    assert [(a.display_name, a.person) for a in paper.authorships.all()][:2] == [
        ("Sara Granados", None),
        ("Francisco Barranco", barranco),
    ]
    assert paper.bibtex.startswith("@article{granados2014chip,")
    assert '<strong class="member">Barranco, F.</strong>' in paper.citation_html

    news = NewsItem.objects.get(slug="20220419-werehiring")
    assert news.summary == "CVR-Lab is hiring for the BIO-PERCEPTION project"
    event = Event.objects.get(slug="example")
    assert (event.event_name, event.location) == ("Wowchemy Conference", "Wowchemy HQ")
    assert event.event_url == "https://example.org"
    project = Project.objects.get(slug="brainav")
    assert project.image and "aei_logo" not in project.image.name
    assert "![AEI_logo]" not in project.body and "/media/projects/" in project.body_html

    for item in ImportedItem.objects.all():
        obj = item.content_type.get_object_for_this_type(pk=item.object_id)
        if hasattr(obj, "get_absolute_url"):
            response = client.get(obj.get_absolute_url())
            assert response.status_code == 200, (item.source, obj.get_absolute_url())

    assert [m.label for m in MenuItem.objects.all()] == [
        "Home",
        "Projects",
        "People",
        "News",
        "Publications",
        "Contact",
    ]
    home = client.get("/").content.decode()
    assert "Computer Vision and Robotics Lab</h1>" in home  # the hero
    assert "Latest News" in home and "We are hiring!" in home
    people = client.get("/people/").content.decode()
    assert people.index("Principal Investigators") < people.index("Researchers")
    assert "Nicolás Cubero Torres" in people[people.index("Alumni") :]
    contact = client.get("/contact/").content.decode()
    assert "+34 958241775" in contact and "openstreetmap.org" in contact
    assert SiteSettings.load().name == "Computer Vision and Robotics Lab"


@needs_cvr
def test_cvr_lab_publications_keep_their_cite_bib_fields():
    run(CVR)

    publication = Publication.objects.get(slug="barranco2012a")
    assert (publication.pages, publication.organization) == ("328--331", "IEEE")
    assert publication.entry_type == "inproceedings"
    # The page's own date (1 July 2013) is shown; the export keeps the entry's year.
    assert (publication.date.isoformat(), publication.date_precision) == ("2013-07-01", "day")
    assert "year = {2012}" in publication.bibtex_export
    assert "pages = {328--331}" in publication.bibtex_export
    assert "month" not in publication.bibtex_export


def test_cvr_lab_second_import_changes_nothing(settings):
    run(CVR)
    before = state(settings)

    report = run(CVR)

    assert "Everything unchanged." in report
    assert "publications            0        0         20" in report
    assert "people                  0        0          7" in report
    assert state(settings) == before


@needs_cvr
def test_cvr_lab_old_urls_redirect(client):
    run(CVR)
    for old, new in [
        ("/author/admin/", "/people/francisco-barranco/"),
        ("/authors/ddeniz/", "/people/daniel-deniz/"),
        ("/post/20220419-werehiring/", "/news/20220419-werehiring/"),
        ("/publication/barranco2014d/", "/publications/barranco2014d/"),
        ("/project/brainav/", "/projects/brainav/"),
        ("/event/example/", "/events/example/"),
        ("/team/", "/people/"),
        ("/post/", "/news/"),
        ("/publication/", "/publications/"),
        ("/project/", "/projects/"),
        ("/event/", "/events/"),
        ("/author/", "/people/"),
    ]:
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old


# ---- a Hugo Blox site (YAML config, landing blocks), the project's own fixture -------


def test_blox_site_imports_people_publications_and_landing_sections(client):
    report = run(MINI)

    jane = Person.objects.get(slug="jane-doe")
    max_student = Person.objects.get(slug="max-student")
    assert (jane.first_name, jane.last_name, jane.role) == (
        "Jane",
        "Doe",
        "Professor of Robust Learning",
    )
    assert jane.interest_list == ["Adversarial ML", "Certification"]
    assert jane.education.get().year == "2010–2014"
    assert jane.organisations.get().url == "https://mini.example.org"
    assert [(s.kind, s.label) for s in jane.social_links.all()] == [
        ("email", ""),
        ("github", ""),
        ("mastodon", ""),
    ]
    assert jane.avatar
    assert sorted(g.name for g in max_student.groups.all()) == [
        "A Group Nobody Defined",
        "Students",
    ]
    assert [g.name for g in Group.objects.order_by("order")][:2] == ["Faculty", "Students"]

    paper = Publication.objects.get(slug="doe2024robust")
    assert [(a.display_name, a.person, a.note) for a in paper.authorships.all()] == [
        ("Jane Doe", jane, "Equal contribution"),
        ("Max Student", max_student, "Equal contribution"),
        ("Alan Turing", None, ""),
    ]
    assert paper.pub_type == "paper-conference"  # from the label "Conference paper"
    assert paper.venue == "Proceedings of the Robust ML Conference"
    assert paper.doi == "10.5555/rml.2024.7"  # empty in front matter: taken from cite.bib
    assert paper.url_pdf == "https://arxiv.org/pdf/2401.00001.pdf"
    assert paper.url_code == "" and paper.url_video == ""
    assert [p.slug for p in paper.projects.all()] == ["robust-vision"]
    assert [link.name for link in paper.links.all()] == ["Blog post"]
    assert sorted(t.name for t in paper.tags.all()) == ["certification", "robustness"]

    bib_only = Publication.objects.get(slug="bibonly2023")
    assert bib_only.title == "Only BibTeX Here: A Study of Über-Robustness"
    assert bib_only.pub_type == "article-journal"
    assert [a.person for a in bib_only.authorships.all()] == [max_student, None]
    legacy = Publication.objects.get(slug="legacy")
    assert (legacy.pub_type, legacy.authorships.get().person) == ("thesis", jane)

    news = NewsItem.objects.get(slug="first-news")
    assert "> **Note:**" in news.body and "Applications open soon." in news.body_html
    assert "https://www.youtube.com/watch?v=dQw4w9WgXcQ" in news.body
    assert "{{< gallery" in news.body  # unsupported shortcodes stay visible...
    assert "shortcode 'gallery' is not supported; kept as text" in report  # ...with a warning
    assert NewsItem.objects.get(slug="draft-news").status == "draft"

    home = Page.objects.get(slug="home")
    kinds = [(s.kind, s.title) for s in home.sections.all()]
    assert kinds == [
        ("hero", "Robust ML for everyone"),
        ("collection", "Latest news"),
        ("collection", "Featured papers"),
        ("people", "Team"),
        ("markdown", "About"),
        ("markdown", "Topics"),
        ("contact", "Contact"),
        ("cta", "Join us"),
    ]
    news_section, papers_section = home.sections.all()[1:3]
    assert (news_section.collection, news_section.count, news_section.view) == ("news", 3, "news")
    assert (papers_section.featured_only, papers_section.view) == (True, "citation")
    hero = home.sections.get(kind="hero")
    assert hero.photos.count() == 1 and hero.button_label == "Meet the team"
    assert home.sections.get(kind="cta").button_url == "/positions/"

    html = client.get("/").content.decode()
    assert "Robust ML for everyone" in html and "We won a grant" in html
    assert "Robust Certification at Scale" in html  # featured
    assert [m.label for m in MenuItem.objects.all()] == [
        "Home",
        "Team",
        "Research",
        "Papers",
        "Blog",
    ]
    assert [m.url for m in MenuItem.objects.all()] == [
        "/",
        "/people/",
        "/research/",
        "/publications/",
        "https://blog.example.org/",
    ]
    settings_row = SiteSettings.load()
    assert settings_row.email == "lab@mini.example.org"
    assert "Testville" in settings_row.address
    assert client.get("/events/keynote/").status_code == 200
    assert client.get("/papers/robust-cert/")["Location"] == "/publications/doe2024robust/"


def test_seed_page_alone_renders_on_research(tmp_path, client):
    site = tmp_path / "seed-only"
    (site / "content" / "research").mkdir(parents=True)
    seed = Path(__file__).resolve().parents[2] / "pages" / "seed" / "research-mission.md"
    shutil.copy(seed, site / "content" / "research" / "index.md")

    run(site)

    html = client.get("/research/").content.decode()
    assert "<h1>Our Mission</h1>" in html
    assert '<span class="blue-highlight"><strong>Adversarial ML</strong></span>' in html
    assert "Principled Algorithmic Design" in html
    assert Page.objects.get(slug="research").view == "compact"


def test_changed_file_updates_its_object_and_dry_run_writes_nothing(mini, settings):
    run(mini)
    post = mini / "content" / "post" / "first-news" / "index.md"
    post.write_text(post.read_text().replace("We won a grant", "We won two grants"))
    before = state(settings)

    preview = run(mini, "--dry-run")

    assert "Dry run: nothing was written." in preview
    assert "news                    0        1          1" in preview
    assert state(settings) == before
    assert NewsItem.objects.get(slug="first-news").title == "We won a grant"

    report = run(mini)

    assert "news                    0        1          1" in report
    assert NewsItem.objects.get(slug="first-news").title == "We won two grants"
    assert NewsItem.objects.count() == 2


def test_dry_run_on_empty_database_reports_creations_but_writes_nothing(settings):
    before = state(settings)
    report = run(MINI, "--dry-run")
    assert "publications            3        0          0" in report
    assert state(settings) == before


# ---- bad input: a clear error naming file and line, and nothing written ----------


def _break(mini, relative, text, mode="w"):
    path = mini / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode == "wb":
        path.write_bytes(text)
    else:
        path.write_text(text)


MALFORMED = [
    (
        "content/post/bad/index.md",
        "---\ntitle: [unclosed\n---\nBody",
        "content/post/bad/index.md:2: invalid YAML",
    ),
    (
        "content/post/bad/index.md",
        '+++\ntitle = "x\nthing = 1\n+++\nBody',
        "content/post/bad/index.md:2: invalid TOML",
    ),
    (
        "content/post/bad/index.md",
        "---\ntitle: never closed\nBody",
        "content/post/bad/index.md:1: front matter opened with '---' is never closed",
    ),
    (
        "content/post/bad/index.md",
        "---\n- a list\n- not a mapping\n---\n",
        "content/post/bad/index.md:2: front matter is not a set of 'key: value' fields",
    ),
    (
        "content/post/bad/index.md",
        b"---\ntitle: caf\xe9\n---\n",
        "content/post/bad/index.md: not UTF-8 text",
    ),
    (
        "config/_default/menus.yaml",
        "main:\n  - name: Home\n    url: [/\n",
        "config/_default/menus.yaml:4: invalid YAML",
    ),
    (
        "config/_default/params.yaml",
        "email: a@b.c\n  bad indent: x\n",
        "config/_default/params.yaml:2: invalid YAML",
    ),
    (
        "config/_default/menus.yaml",
        "main: just a string\n",
        "config/_default/menus: the main menu is not a list of items",
    ),
    (
        "content/publication/broken/cite.bib",
        "@article{broken,\n  title = {Unclosed,\n",
        "content/publication/broken/cite.bib:1: BibTeX malformed entry",
    ),
    (
        "content/authors/max/_index.md",
        "---\ntitle: Max\nuser_groups: {a: [}\n---\n",
        "content/authors/max/_index.md:3: invalid YAML",
    ),
]


@pytest.mark.parametrize(("relative", "text", "message"), MALFORMED)
def test_malformed_input_aborts_naming_file_and_line_and_writes_nothing(
    mini, settings, relative, text, message
):
    _break(mini, relative, text, "wb" if isinstance(text, bytes) else "w")
    before = state(settings)

    with pytest.raises(CommandError) as failure:
        run(mini)

    assert message in str(failure.value)
    assert "nothing was written" in str(failure.value)
    assert state(settings) == before


def test_skip_invalid_imports_the_rest_and_lists_what_it_skipped(mini):
    _break(mini, "content/post/bad/index.md", "---\ntitle: [unclosed\n---\n")
    _break(mini, "content/post/worse/index.md", "---\ntitle: worse: [\n---\n")

    report = run(mini, "--skip-invalid")

    assert "Skipped because of errors (2):" in report
    assert "content/post/bad/index.md:2: invalid YAML" in report
    assert "content/post/worse/index.md:2: invalid YAML" in report
    assert Publication.objects.count() == 3
    assert NewsItem.objects.count() == 2  # the mini site's own posts, not the broken ones
    assert Person.objects.filter(slug="max-student").exists()


def test_unreadable_images_are_warnings_and_a_gif_named_png_is_converted(mini):
    _break(mini, "content/authors/jane-doe/avatar.jpg", b"\xff\xd8\xff\xe0 not a jpeg", "wb")
    _break(mini, "content/project/robust-vision/featured.png", b"<svg onload=alert(1)></svg>", "wb")
    gif = io.BytesIO()
    PILImage.new("RGB", (40, 30), "red").save(gif, format="GIF")
    _break(mini, "content/post/first-news/featured.png", gif.getvalue(), "wb")

    report = run(mini)

    assert "content/authors/jane-doe/avatar.jpg: unreadable image" in report
    assert "content/project/robust-vision/featured.png: unreadable image" in report
    assert not Person.objects.get(slug="jane-doe").avatar
    assert not Project.objects.get(slug="robust-vision").image
    news = NewsItem.objects.get(slug="first-news")
    assert news.image.name.endswith("-40x30.png")


def test_not_a_hugo_site(tmp_path):
    with pytest.raises(CommandError, match="is not a Hugo site: it has no content/ folder"):
        run(tmp_path)
    with pytest.raises(CommandError, match="is not a folder"):
        run(tmp_path / "missing")


def test_paths_cannot_escape_the_site_or_media_root(mini, tmp_path, settings):
    secret = tmp_path / "secret.png"
    secret.write_bytes((MINI / "assets" / "media" / "hero.png").read_bytes())
    post = mini / "content" / "post" / "first-news" / "index.md"
    post.write_text(
        post.read_text()
        + '\n{{< figure src="../../../../secret.png" >}}\n'
        + '{{< figure src="/etc/passwd" >}}\n'
    )
    project = mini / "content" / "project" / "robust-vision" / "index.md"
    project.write_text(
        project.read_text().replace("image:\n", "image:\n  filename: ../../../../secret.png\n")
    )
    os.symlink(secret, mini / "content" / "project" / "robust-vision" / "featured.jpg")
    os.symlink(tmp_path, mini / "content" / "post" / "outside")

    report = run(mini)

    assert "figure image '../../../../secret.png' not found; kept as a link" in report
    assert "figure image '/etc/passwd' not found; kept as a link" in report
    assert "image '../../../../secret.png' not found; imported without it" in report
    assert "outside points outside the site and was ignored" in report
    media_root = Path(settings.MEDIA_ROOT).resolve()
    stored = [p for p in media_root.rglob("*") if p.is_file()]
    assert stored and all(p.resolve().is_relative_to(media_root) for p in stored)
    assert all("secret" not in p.name for p in stored)
    assert NewsItem.objects.count() == 2  # the linked folder was not read as a post


def test_unknown_values_are_mapped_with_warnings_not_errors(mini):
    path = mini / "content" / "publication" / "legacy.md"
    text = path.read_text().replace('["7"]', '["Magazine article"]')
    path.write_text(
        text.replace(
            "publication: University of Tests",
            "publication: University of Tests\ndoi: ''\nurl_pdf: 'not a url at all'",
        )
    )

    report = run(mini)

    legacy = Publication.objects.get(slug="legacy")
    assert legacy.pub_type == "other"
    assert "unknown publication type 'Magazine article'; set to 'other'" in report
    assert legacy.url_pdf == ""
    assert "url_pdf 'not a url at all' is not a web address and was left empty" in report
    assert Group.objects.filter(name="A Group Nobody Defined").exists()
    assert Section.objects.filter(kind="markdown", title="Topics").exists()


def test_reimport_after_editor_deleted_an_object_recreates_it(mini):
    run(mini)
    NewsItem.objects.get(slug="first-news").delete()

    report = run(mini)

    assert "news                    1        0          1" in report
    assert NewsItem.objects.filter(slug="first-news").exists()


def test_imported_redirects_are_editable_redirects(mini, client):
    run(mini)
    assert Redirect.objects.filter(
        old_path="/post/first-news/", new_path="/news/first-news/"
    ).exists()
    response = client.get("/post/first-news/")
    assert (response.status_code, response["Location"]) == (301, "/news/first-news/")
    assert client.get("/author/jane-doe/")["Location"] == "/people/jane-doe/"


def test_import_is_visible_at_once_even_with_a_cached_menu(
    client, django_capture_on_commit_callbacks
):
    client.get("/")  # caches the site context (empty menu)

    with django_capture_on_commit_callbacks(execute=True):
        run(MINI)

    html = client.get("/").content.decode()
    assert '<a href="https://blog.example.org/">Blog</a>' in html
    assert "Mini Robust Lab" in html


def test_unsafe_links_from_the_site_are_left_out(mini):
    index = mini / "content" / "_index.md"
    index.write_text(index.read_text().replace("url: /people/", 'url: "javascript:alert(1)"'))
    menus = mini / "config" / "_default" / "menus.yaml"
    menus.write_text(
        menus.read_text() + "  - name: Evil\n    url: /\\evil.example\n    weight: 50\n"
    )

    report = run(mini)

    hero = Page.objects.get(slug="home").sections.get(kind="hero")
    assert hero.button_url == ""
    assert "button link 'javascript:alert(1)' is not a safe link; left out" in report
    assert "Evil" not in [m.label for m in MenuItem.objects.all()]
    assert "menu link '/\\evil.example/' is not a safe link; left out" in report


def test_files_linked_from_outside_the_site_are_refused(mini, tmp_path):
    outside = tmp_path / "outside.bib"
    outside.write_text("@article{secret, title={Secret}, author={A, B}, year=2020}")
    bundle = mini / "content" / "publication" / "leak"
    bundle.mkdir()
    os.symlink(outside, bundle / "cite.bib")

    with pytest.raises(CommandError, match="cite.bib: points outside the site folder"):
        run(mini)
    report = run(mini, "--skip-invalid")
    assert "cite.bib: points outside the site folder" in report
    assert not Publication.objects.filter(title="Secret").exists()
    assert Publication.objects.count() == 3


def test_yaml_aliases_are_refused(mini):
    _break(mini, "content/post/bomb/index.md",
           "---\na: &a [x, x]\nb: &b [*a, *a]\ntitle: *b\n---\n")  # fmt: skip
    with pytest.raises(CommandError, match=r"bomb/index.md:3: invalid YAML: aliases"):
        run(mini)


def test_odd_numbers_and_strings_are_warnings_not_crashes(mini):
    _break(mini, "content/authors/odd/_index.md", "---\ntitle: Odd Person\norder: .inf\n---\n")
    _break(mini, "content/post/odd/index.md",
           "---\ntitle: Odd\ndate: 2024\ndraft: \"false\"\nweight: high\n---\nText")  # fmt: skip
    project = mini / "content" / "project" / "robust-vision" / "index.md"
    project.write_text(project.read_text().replace('external_link: ""',
                                                   "external_link: 'http://[::1'"))  # fmt: skip

    report = run(mini)

    assert Person.objects.get(slug="odd-person").order == 0
    assert "order 'inf' is not a number; set to 0" in report
    assert NewsItem.objects.get(slug="odd").status == "published"
    assert Project.objects.get(slug="robust-vision").external_url == ""


def test_blog_section_front_matter_slugs_and_non_latin_names(mini, client):
    _break(mini, "content/blog/My Post.md", "---\ntitle: From the blog\nslug: hello-world\n---\nHi")
    _break(mini, "content/研究/index.md", "---\ntitle: 研究\n---\nText")

    run(mini)

    news = NewsItem.objects.get(title="From the blog")
    for old in ("/blog/my-post/", "/blog/hello-world/", "/blog/My%20Post/"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, news.get_absolute_url()), old
    page = Page.objects.get(title="研究")
    assert page.slug.startswith("page-")
    assert client.get(page.get_absolute_url()).status_code == 200


def test_author_folder_added_later_relinks_publications(mini):
    jane = mini / "content" / "authors" / "jane-doe"
    parked = mini.parent / "jane-doe"
    jane.rename(parked)
    run(mini)
    paper = Publication.objects.get(slug="doe2024robust")
    assert paper.authorships.first().person is None

    parked.rename(jane)
    report = run(mini)

    assert "publications            0        2          1" in report
    assert paper.authorships.first().person == Person.objects.get(slug="jane-doe")
    assert Project.objects.get(slug="robust-vision").people.get().slug == "jane-doe"


def test_a_file_that_becomes_a_bundle_updates_the_same_object(mini):
    run(mini)
    single = mini / "content" / "publication" / "legacy.md"
    bundle = mini / "content" / "publication" / "legacy"
    bundle.mkdir()
    single.rename(bundle / "index.md")
    publication = Publication.objects.get(slug="legacy")

    report = run(mini)

    assert "publications            0        1          2" in report
    assert list(Publication.objects.filter(title__startswith="A Legacy")) == [publication]
