"""The three roles: what a Lab admin, an Editor and a Member may do in the admin, and
the escalations a curious student would try."""

import os

import pytest
import reversion
from django.contrib.auth.models import Group as AuthGroup
from django.core.files.uploadedfile import SimpleUploadedFile
from reversion.models import Version

from airml.roles import EDITOR, LAB_ADMIN, MEMBER, is_member_only
from news.models import NewsItem
from pages.models import SiteSettings
from people.models import Person
from research.models import Publication
from tests.admin_forms import add_inline_rows, admin_form_data, assert_saved
from tests.factories import (
    AuthorshipFactory,
    GroupFactory,
    NewsFactory,
    PersonFactory,
    PublicationFactory,
    UserFactory,
    image_file,
)

pytestmark = pytest.mark.django_db


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def user_in(role, **kwargs):
    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(AuthGroup.objects.get(name=role))
    return user


@pytest.fixture
def lab_group():
    return GroupFactory(name="Lab Members", slug="lab-members")


@pytest.fixture
def student(lab_group):
    user = user_in(MEMBER, username="student")
    person = PersonFactory(slug="sam", first_name="Sam", last_name="Student", user=user,
                           groups=[lab_group])  # fmt: skip
    return person


@pytest.fixture
def member_client(client, student):
    client.force_login(student.user)
    return client


@pytest.fixture
def other_person(lab_group):
    return PersonFactory(slug="pi", first_name="Paula", last_name="Investigator",
                         short_bio="Leads the lab.", groups=[lab_group])  # fmt: skip


def media_files(settings):
    found = []
    for root, _dirs, files in os.walk(settings.MEDIA_ROOT):
        found += [os.path.join(root, name) for name in files]
    return found


def test_roles_exist_with_the_right_permissions():
    lab_admin = AuthGroup.objects.get(name=LAB_ADMIN)
    editor = AuthGroup.objects.get(name=EDITOR)
    member = AuthGroup.objects.get(name=MEMBER)
    codes = {
        group.name: {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        for group in (lab_admin, editor, member)
    }

    assert {"auth.change_user", "auth.change_group", "pages.change_sitesettings",
            "pages.change_page"} <= codes[LAB_ADMIN]  # fmt: skip
    assert {"pages.add_page", "research.change_publication", "people.delete_person",
            "pages.change_menuitem", "people.change_group"} <= codes[EDITOR]  # fmt: skip
    assert not {p for p in codes[EDITOR] if p.startswith("auth.") or "sitesettings" in p}
    assert codes[MEMBER] >= {"people.change_person", "research.add_publication",
                             "news.add_newsitem"}  # fmt: skip
    assert not {"people.add_person", "people.delete_person", "research.delete_publication",
                "pages.change_page", "auth.change_user", "auth.change_group",
                "people.change_group", "pages.change_sitesettings"} & codes[MEMBER]  # fmt: skip


def test_role_of_a_user():
    assert is_member_only(user_in(MEMBER))
    assert is_member_only(UserFactory(is_staff=True))  # no role: fails closed
    assert not is_member_only(user_in(EDITOR))
    assert not is_member_only(UserFactory(is_staff=True, is_superuser=True))


# Editor and Lab admin ----------------------------------------------------------------


def test_editor_edits_all_content_but_not_users_or_settings(client, other_person):
    client.force_login(user_in(EDITOR))
    index = client.get("/admin/").content.decode()
    assert "/admin/people/person/" in index and "/admin/pages/page/" in index
    assert "/admin/auth/user/" not in index and "/admin/pages/sitesettings/" not in index

    data = admin_form_data(client.get(change_url(other_person)))
    data["short_bio"] = "Edited by the editor."
    assert_saved(client.post(change_url(other_person), data))

    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get(change_url(SiteSettings.load())).status_code == 403
    assert client.get("/admin/research/publication/recover/").status_code == 200


def test_lab_admin_manages_users_and_settings(client):
    client.force_login(user_in(LAB_ADMIN))
    assert client.get("/admin/auth/user/").status_code == 200
    assert client.get(change_url(SiteSettings.load())).status_code == 200


# Member: what they may do ------------------------------------------------------------


def test_member_admin_shows_only_what_they_may_edit(member_client, other_person):
    index = member_client.get("/admin/").content.decode()
    for url in ("/admin/people/person/", "/admin/research/publication/",
                "/admin/news/newsitem/"):  # fmt: skip
        assert url in index
    for url in ("/admin/auth/", "/admin/pages/page/", "/admin/pages/menuitem/",
                "/admin/pages/sitesettings/", "/admin/people/group/",
                "/admin/research/project/"):  # fmt: skip
        assert url not in index
    people = member_client.get("/admin/people/person/").content.decode()
    assert "Sam Student" in people and "Paula Investigator" not in people


def test_member_edits_own_profile_with_avatar_and_links(member_client, student, client):
    data = admin_form_data(member_client.get(change_url(student)))
    data.update({"short_bio": "I study robustness.", "avatar": image_file("me.jpg"),
                 "avatar_alt": "Sam smiling"})  # fmt: skip
    add_inline_rows(data, "social_links", [{"kind": "github", "url": "https://github.com/sam",
                                             "order": 0}])  # fmt: skip

    assert_saved(member_client.post(change_url(student), data))

    student.refresh_from_db()
    assert student.short_bio == "I study robustness." and student.avatar.name.endswith(".jpg")
    html = client.get("/people/sam/").content.decode()
    assert "I study robustness." in html and "https://github.com/sam" in html


def test_member_cannot_change_own_groups_status_account_or_order(member_client, student):
    other_group = GroupFactory(name="Alumni", slug="alumni")
    other_user = UserFactory()
    data = admin_form_data(member_client.get(change_url(student)))
    data.update({"groups": [other_group.pk], "status": "draft", "user": other_user.pk,
                 "order": -100, "member_status": "alumni", "slug": "hijack",
                 "short_bio": "Still me."})  # fmt: skip

    assert_saved(member_client.post(change_url(student), data))

    student.refresh_from_db()
    assert student.short_bio == "Still me."
    assert [g.slug for g in student.groups.all()] == ["lab-members"]
    assert (student.status, student.user.username, student.order, student.member_status,
            student.slug) == ("published", "student", 0, "current", "sam")  # fmt: skip


def test_member_writes_a_publication_as_author_and_edits_it(member_client, student, client):
    url = "/admin/research/publication/add/"
    data = admin_form_data(member_client.get(url))
    data.update({"title": "My First Paper", "slug": "sam2025", "date": "2025-05-01",
                 "status": "published"})  # fmt: skip
    add_inline_rows(data, "authorships", [{"order": 0, "person": student.pk, "name": "",
                                           "note": ""}])  # fmt: skip
    assert_saved(member_client.post(url, data))
    paper = Publication.objects.get(slug="sam2025")

    assert "My First Paper" in client.get("/people/sam/").content.decode()
    data = admin_form_data(member_client.get(change_url(paper)))
    data["title"] = "My First Paper, revised"
    assert_saved(member_client.post(change_url(paper), data))
    assert "My First Paper, revised" in client.get("/publications/sam2025/").content.decode()


def test_member_must_stay_an_author_of_a_publication(member_client, student):
    url = "/admin/research/publication/add/"
    data = admin_form_data(member_client.get(url))
    data.update({"title": "Not mine", "slug": "notmine", "date": "2025-05-01"})
    add_inline_rows(data, "authorships", [{"order": 0, "person": "", "name": "Someone Else",
                                           "note": ""}])  # fmt: skip

    response = member_client.post(url, data)

    assert response.status_code == 200
    assert "Add yourself (your lab profile) as an author" in response.content.decode()
    assert 'value="Not mine"' in response.content.decode()
    assert not Publication.objects.exists()


def test_member_news_is_theirs(member_client, student):
    url = "/admin/news/newsitem/add/"
    data = admin_form_data(member_client.get(url))
    data.update({"title": "Talk at ICML", "slug": "icml-talk", "date": "2025-07-01"})

    assert_saved(member_client.post(url, data))

    news = NewsItem.objects.get(slug="icml-talk")
    assert list(news.authors.all()) == [student]
    assert member_client.get(change_url(news)).status_code == 200


def test_member_can_preview_and_upload_images_in_markdown(member_client):
    assert member_client.post("/markdownx/markdownify/", {"content": "**x**"}).status_code == 200
    response = member_client.post("/markdownx/upload/", {"image": image_file()})
    assert response.status_code == 200
    svg = SimpleUploadedFile("x.svg", b"<svg onload=alert(1)></svg>", "image/svg+xml")
    assert member_client.post("/markdownx/upload/", {"image": svg}).status_code == 400


def test_member_sees_history_of_own_profile_but_cannot_restore(member_client, student):
    data = admin_form_data(member_client.get(change_url(student)))
    data["short_bio"] = "v1"
    assert_saved(member_client.post(change_url(student), data))
    version = Version.objects.get_for_object(student).get()

    history = member_client.get(f"/admin/people/person/{student.pk}/history/")
    assert history.status_code == 200 and "Restore this version" not in history.content.decode()
    compare = f"/admin/people/person/{student.pk}/history/{version.pk}/compare/"
    assert member_client.get(compare).status_code == 200
    restore = f"/admin/people/person/{student.pk}/history/{version.pk}/"
    assert member_client.get(restore).status_code == 403
    assert member_client.post(restore, data).status_code == 403


# Member: escalations a curious student would try --------------------------------------


def test_member_cannot_open_or_change_another_profile_by_url(member_client, other_person):
    url = change_url(other_person)

    get = member_client.get(url)
    post = member_client.post(url, {"first_name": "Paula", "last_name": "Hacked",
                                    "slug": "pi", "short_bio": "pwned"})  # fmt: skip

    assert get.status_code == 302 and get["Location"] == "/admin/"
    assert post.status_code == 302
    other_person.refresh_from_db()
    assert (other_person.last_name, other_person.short_bio) == ("Investigator", "Leads the lab.")
    assert member_client.get(f"/admin/people/person/{other_person.pk}/delete/").status_code in (
        302, 403)  # fmt: skip
    assert member_client.get(f"/admin/people/person/{other_person.pk}/history/").status_code == 403


def test_member_cannot_upload_to_another_profile(member_client, other_person, settings):
    before = media_files(settings)

    response = member_client.post(change_url(other_person), {
        "first_name": "Paula", "last_name": "Investigator", "slug": "pi",
        "avatar": image_file("evil.jpg")})  # fmt: skip

    assert response.status_code == 302
    other_person.refresh_from_db()
    assert not other_person.avatar
    assert media_files(settings) == before


def test_member_cannot_change_groups_or_users(member_client, student):
    assert member_client.get(f"/admin/auth/user/{student.user.pk}/change/").status_code == 403
    response = member_client.post(f"/admin/auth/user/{student.user.pk}/change/",
                                  {"username": "student", "groups": [1, 2, 3],
                                   "is_superuser": "on"})  # fmt: skip
    assert response.status_code == 403
    assert member_client.get("/admin/auth/group/").status_code == 403
    student.user.refresh_from_db()
    assert not student.user.is_superuser
    assert list(student.user.groups.values_list("name", flat=True)) == [MEMBER]


def test_member_cannot_edit_or_restore_others_publications(member_client, student, other_person):
    theirs = PublicationFactory(slug="theirs", title="Their paper", status="draft")
    AuthorshipFactory(publication=theirs, person=other_person, name="")
    with reversion.create_revision():
        theirs.save()
    version = Version.objects.get_for_object(theirs).get()

    assert member_client.get(change_url(theirs)).status_code == 302
    listing = member_client.get("/admin/research/publication/").content.decode()
    assert "Their paper" not in listing
    action = {"action": "publish", "_selected_action": [theirs.pk]}
    response = member_client.post("/admin/research/publication/", action)
    assert response.status_code in (200, 302)
    restore = f"/admin/research/publication/{theirs.pk}/history/{version.pk}/"
    assert member_client.post(restore, {"title": "x"}).status_code == 403
    assert member_client.get("/admin/research/publication/recover/").status_code == 403
    assert (
        member_client.get(f"/admin/research/publication/recover/{version.pk}/").status_code == 403
    )
    theirs.refresh_from_db()
    assert theirs.status == "draft" and theirs.title == "Their paper"


def test_member_cannot_publish_own_profile_by_action(member_client, student):
    student.status = "draft"
    student.save()

    member_client.post("/admin/people/person/", {"action": "publish",
                                                 "_selected_action": [student.pk]})  # fmt: skip

    student.refresh_from_db()
    assert student.status == "draft"


def test_member_cannot_edit_others_news(member_client, other_person):
    news = NewsFactory(slug="pi-news", title="PI news")
    news.authors.add(other_person)

    assert member_client.get(change_url(news)).status_code == 302
    hacked = {"title": "hacked", "slug": "pi-news", "date": "2025-01-01"}
    assert member_client.post(change_url(news), hacked).status_code == 302
    news.refresh_from_db()
    assert news.title == "PI news"


def test_member_cannot_use_pages_menu_or_settings(member_client):
    for url in ("/admin/pages/page/", "/admin/pages/page/add/", "/admin/pages/menuitem/",
                change_url(SiteSettings.load()), "/admin/people/group/add/",
                "/admin/people/person/add/"):  # fmt: skip
        assert member_client.get(url).status_code == 403, url


@pytest.mark.parametrize("endpoint", ["/markdownx/markdownify/", "/markdownx/upload/"])
def test_markdown_endpoints_refuse_signed_in_non_staff_member(client, endpoint):
    user = UserFactory(is_staff=False)
    user.groups.add(AuthGroup.objects.get(name=MEMBER))
    client.force_login(user)

    response = client.post(endpoint, {"content": "x", "image": image_file()})

    assert response.status_code == 403


def test_person_without_account_is_not_editable_by_members(member_client):
    orphan = PersonFactory(slug="orphan")
    assert member_client.get(change_url(orphan)).status_code == 302
    assert Person.objects.get(slug="orphan").user is None


def test_a_new_models_permissions_reach_the_roles_after_migrate():
    """A model whose permissions do not exist yet (just added, as events once were)
    gets them, and the roles their share, from the next `migrate`: no data migration."""
    from django.contrib.auth.models import Permission
    from django.core.management import call_command

    from news.models import Event

    Permission.objects.filter(content_type__app_label="news", content_type__model="event").delete()
    assert not AuthGroup.objects.get(name=EDITOR).permissions.filter(codename="add_event")

    call_command("migrate", verbosity=0)

    codenames = {f"{action}_event" for action in ("add", "change", "delete", "view")}

    def event_rights(role):
        rights = AuthGroup.objects.get(name=role).permissions.filter(
            content_type__app_label=Event._meta.app_label
        )
        return set(rights.filter(codename__endswith="_event").values_list("codename", flat=True))

    assert event_rights(EDITOR) == codenames
    assert event_rights(LAB_ADMIN) == codenames
    assert event_rights(MEMBER) == set()


def test_roles_table_naming_a_missing_permission_is_an_error():
    from django.contrib.auth.models import Permission

    from airml.roles import role_permissions

    with pytest.raises(LookupError, match="news.*add_nosuchmodel"):
        role_permissions(Permission, {"news": {"nosuchmodel": ("add",)}})


def test_the_sync_keeps_a_right_granted_by_hand():
    from django.contrib.auth.models import Permission
    from django.core.management import call_command

    member = AuthGroup.objects.get(name=MEMBER)
    extra = Permission.objects.get(content_type__app_label="news", codename="add_event")
    member.permissions.add(extra)

    call_command("migrate", verbosity=0)

    assert member.permissions.filter(pk=extra.pk).exists()
