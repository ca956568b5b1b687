"""Editors add and change every content model through the admin's own forms."""

import pytest

from news.models import NewsItem
from pages.models import MenuItem, Page, Section, SiteSettings
from people.models import Group, Person
from research.models import Project, Publication, ResearchDirection, Tag
from tests.admin_forms import add_inline_rows, admin_form_data, assert_saved
from tests.factories import GroupFactory, PersonFactory, image_file

pytestmark = pytest.mark.django_db


def admin_add(client, model, fields, inlines=None):
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/add/"
    data = admin_form_data(client.get(url))
    data.update(fields)
    for prefix, rows in (inlines or {}).items():
        add_inline_rows(data, prefix, rows)
    assert_saved(client.post(url, data))
    return model.objects.latest("pk")


def admin_change(client, obj, fields):
    url = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"
    data = admin_form_data(client.get(url))
    data.update(fields)
    assert_saved(client.post(url, data))
    obj.refresh_from_db()
    return obj


def test_admin_index_lists_every_model(staff_client):
    html = staff_client.get("/admin/").content.decode()
    for model in (Person, Group, Publication, Project, ResearchDirection, Tag, Page, Section,
                  NewsItem, MenuItem, SiteSettings):  # fmt: skip
        assert f"/admin/{model._meta.app_label}/{model._meta.model_name}/" in html


def test_person_add_with_inlines_and_change(staff_client, client):
    group = GroupFactory(name="Lab Members", slug="lab-members")
    person = admin_add(
        staff_client, Person,
        {"first_name": "Alan", "last_name": "Turing", "slug": "alan-turing",
         "role": "Postdoc", "membership": "postdoc", "member_status": "current",
         "groups": [group.pk], "bio": "Broke *codes*.", "interests": "Computability\nAI"},
        {"social_links": [{"kind": "github", "url": "https://github.com/alan", "order": 0}],
         "education": [{"course": "PhD", "institution": "Princeton", "year": "1938",
                        "order": 0}],
         "organisations": [{"name": "Bletchley Park", "url": "", "order": 0}]},
    )  # fmt: skip
    assert person.bio_html == "<p>Broke <em>codes</em>.</p>"
    html = client.get("/people/alan-turing/").content.decode()
    assert "Broke <em>codes</em>." in html and "PhD, Princeton, 1938" in html
    assert "Bletchley Park" in html and 'href="https://github.com/alan"' in html
    assert "Alan Turing" in client.get("/people/").content.decode()

    admin_change(staff_client, person, {"member_status": "alumni", "now_at": "Manchester"})

    html = client.get("/people/").content.decode()
    assert "now at Manchester" in html[html.index("Alumni") :]


def test_person_avatar_upload_is_reencoded(staff_client, client):
    person = admin_add(staff_client, Person, {
        "first_name": "Ada", "last_name": "L", "slug": "ada", "membership": "phd",
        "member_status": "current", "avatar": image_file("me.png", "PNG"), "avatar_alt": "Ada",
    })  # fmt: skip
    assert person.avatar.name.startswith("avatars/") and person.avatar.name.endswith(".png")
    assert "me" not in person.avatar.name.split("/")[-1]
    assert person.avatar.url in client.get("/people/ada/").content.decode()


def test_person_avatar_refusal_is_a_form_error_and_keeps_data(staff_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = "/admin/people/person/add/"
    data = admin_form_data(staff_client.get(url))
    data.update(
        {
            "first_name": "Eve",
            "last_name": "Hacker",
            "slug": "eve",
            "avatar": SimpleUploadedFile("x.svg", b"<svg onload=alert(1)>", "image/svg+xml"),
        }
    )

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert "JPEG, PNG or WebP" in str(response.context["adminform"].form.errors["avatar"])
    assert 'value="Hacker"' in response.content.decode()
    assert not Person.objects.exists()


def test_group_add_and_change(staff_client, client):
    group = admin_add(staff_client, Group, {"name": "Alumni Friends", "slug": "friends",
                                            "order": 5, "view": "list"})  # fmt: skip
    PersonFactory(first_name="Joan", last_name="Clarke", groups=[group])
    assert "Alumni Friends" in client.get("/people/").content.decode()
    admin_change(staff_client, group, {"name": "Friends of the Lab"})
    assert "Friends of the Lab" in client.get("/people/").content.decode()


def test_publication_add_with_ordered_authors_and_change(staff_client, client):
    member = PersonFactory(first_name="Grace", last_name="Hopper", slug="grace")
    publication = admin_add(
        staff_client, Publication,
        {"title": "Certified Robustness", "slug": "hopper2025cert", "date": "2025-07-01",
         "pub_type": "paper-conference", "venue": "NeurIPS", "abstract": "An *abstract*.",
         "doi": "10.5555/1234"},
        {"authorships": [
            {"order": 1, "person": "", "name": "Alan Turing", "note": ""},
            {"order": 0, "person": member.pk, "name": "", "note": "equal contribution"},
        ]},
    )  # fmt: skip
    assert [a.display_name for a in publication.authorships.all()] == [
        "Grace Hopper",
        "Alan Turing",
    ]
    html = client.get("/publications/hopper2025cert/").content.decode()
    assert html.index("Grace Hopper") < html.index("Alan Turing")
    assert "An <em>abstract</em>." in html
    assert "Certified Robustness" in client.get("/people/grace/").content.decode()

    admin_change(staff_client, publication, {"title": "Certified Robustness at Scale"})

    assert "Certified Robustness at Scale" in client.get("/publications/").content.decode()


def test_publication_author_needs_a_name_or_member(staff_client):
    url = "/admin/research/publication/add/"
    data = admin_form_data(staff_client.get(url))
    data.update({"title": "T", "slug": "t", "date": "2025-01-01"})
    add_inline_rows(data, "authorships", [{"order": 0, "person": "", "name": "", "note": "x"}])

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert "Give the author&#x27;s name or pick a lab member." in response.content.decode()
    assert not Publication.objects.exists()


def test_project_direction_tag_news_add_and_change(staff_client, client):
    tag = admin_add(staff_client, Tag, {"name": "robustness", "slug": "robustness"})
    direction = admin_add(staff_client, ResearchDirection, {
        "title": "Interpretability", "slug": "interpretability", "summary": "Why models *decide*.",
        "order": 1,
    })  # fmt: skip
    project = admin_add(staff_client, Project, {
        "title": "Explaining Attacks", "slug": "explaining-attacks", "summary": "We explain.",
        "directions": [direction.pk], "tags": [tag.pk], "order": 0,
    })  # fmt: skip
    news = admin_add(staff_client, NewsItem, {
        "title": "New grant", "slug": "new-grant", "date": "2025-10-01", "body": "Funded!",
    })  # fmt: skip

    assert "Why models <em>decide</em>." in client.get("/research/").content.decode()
    assert "Explaining Attacks" in client.get("/research/interpretability/").content.decode()
    assert "New grant" in client.get("/news/").content.decode()

    admin_change(staff_client, direction, {"title": "Interpretable ML"})
    admin_change(staff_client, project, {"summary": "We explain attacks."})
    admin_change(staff_client, news, {"title": "New ERC grant"})
    admin_change(staff_client, tag, {"name": "adversarial robustness"})

    assert "Interpretable ML" in client.get("/research/").content.decode()
    assert "We explain attacks." in client.get("/projects/").content.decode()
    assert "New ERC grant" in client.get("/").content.decode()


def test_page_with_sections_and_listing_view_switch(staff_client, client):
    page = admin_add(
        staff_client, Page,
        {"title": "Positions", "slug": "positions", "body": "Join **us**.",
         "collection": "news", "view": "news"},
        {"sections": [
            {"kind": "markdown", "order": 0, "title": "PhD positions", "body": "Apply now.",
             "is_visible": "on", "view": "compact", "count": 0},
        ]},
    )  # fmt: skip
    NewsItem.objects.create(title="Hiring", slug="hiring", date="2025-01-02")
    html = client.get("/positions/").content.decode()
    assert "Join <strong>us</strong>." in html and "PhD positions" in html
    assert "listing-news" in html and '<span class="news-day">2</span> Jan 2025' in html

    admin_change(staff_client, page, {"view": "card"})

    html = client.get("/positions/").content.decode()
    assert "listing-card" in html and "listing-news" not in html


def test_section_and_menu_and_site_settings(staff_client, client):
    page = Page.objects.create(title="About", slug="about")
    section = admin_add(staff_client, Section, {
        "page": page.pk, "kind": "cta", "order": 0, "title": "Talk to us", "body": "Hi",
        "button_label": "Contact", "button_url": "/contact/", "is_visible": "on",
        "view": "compact", "count": 0,
    })  # fmt: skip
    assert 'href="/contact/">Contact</a>' in client.get("/about/").content.decode()
    admin_change(staff_client, section, {"button_label": "Write to us"})
    assert "Write to us" in client.get("/about/").content.decode()

    item = admin_add(staff_client, MenuItem, {"label": "About us", "url": "/about/", "order": 1})
    assert ">About us</a>" in client.get("/about/").content.decode()
    admin_change(staff_client, item, {"label": "Who we are"})
    assert ">Who we are</a>" in client.get("/about/").content.decode()

    settings_url = staff_client.get("/admin/pages/sitesettings/")
    assert settings_url.status_code == 302
    site = SiteSettings.load()
    admin_change(staff_client, site, {"name": "AIR-ML", "footer": "Made with *care*."})
    html = client.get("/about/").content.decode()
    assert '<span class="brand-name">AIR-ML</span></a>' in html
    assert "Made with <em>care</em>." in html


def test_admin_changelists_and_search_work(staff_client):
    PersonFactory(first_name="Searchable", last_name="Person")
    for model in (Person, Group, Publication, Project, ResearchDirection, Tag, Page, Section,
                  NewsItem, MenuItem):  # fmt: skip
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/?q=x"
        assert staff_client.get(url).status_code == 200, url
    html = staff_client.get("/admin/people/person/?q=Searchable").content.decode()
    assert "Searchable Person" in html


def test_admin_uses_markdown_editor_with_live_preview(staff_client):
    html = staff_client.get("/admin/news/newsitem/add/").content.decode()
    assert 'data-markdownx-urls-path="/markdownx/markdownify/"' in html
    assert "markdownx/js/markdownx" in html


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "//evil.example/", "/\\evil.example", "data:text/html,x"]
)
def test_links_that_could_run_script_or_leave_the_site_are_refused(staff_client, url):
    data = admin_form_data(staff_client.get("/admin/pages/menuitem/add/"))
    data.update({"label": "Bad", "url": url, "order": 1})

    response = staff_client.post("/admin/pages/menuitem/add/", data)

    assert response.status_code == 200
    assert "Use a site path such as /people/" in response.content.decode()
    assert not MenuItem.objects.exists()
