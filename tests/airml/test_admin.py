"""The shared admin: version history with diffs and restore, recovery of deleted
objects, the conflict check between two editors, and status actions with history."""

import pytest
import reversion
from django.contrib import admin
from django.contrib.auth.models import Group as AuthGroup
from django.test import Client
from reversion.models import Version

from airml.roles import MEMBER
from news.models import NewsItem
from pages.models import MenuItem, Page, Section, SiteSettings
from people.models import Group, Person
from research.models import Project, Publication, ResearchDirection, Tag
from tests.admin_forms import admin_form_data, assert_saved
from tests.factories import (
    AuthorshipFactory,
    NewsFactory,
    PageFactory,
    PersonFactory,
    PublicationFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def admin_change(client, obj, fields):
    data = admin_form_data(client.get(change_url(obj)))
    data.update(fields)
    response = client.post(change_url(obj), data)
    assert_saved(response)
    obj.refresh_from_db()
    return obj


def test_history_lists_versions_diff_shows_change_and_restore_brings_old_text_back(
    staff_client, client
):
    news = NewsFactory(slug="grant", title="Grant awarded", body="We got the **first** grant.")
    admin_change(staff_client, news, {"title": "Grant awarded"})  # first version
    admin_change(staff_client, news, {"body": "We got the **second** grant."})
    assert "second" in client.get("/news/grant/").content.decode()

    history = staff_client.get(f"/admin/news/newsitem/{news.pk}/history/").content.decode()
    versions = list(Version.objects.get_for_object(news).order_by("pk"))
    assert len(versions) == 2
    old, new = versions
    assert f"/admin/news/newsitem/{news.pk}/history/{new.pk}/compare/" in history
    assert "Restore this version" in history

    diff = staff_client.get(f"/admin/news/newsitem/{news.pk}/history/{new.pk}/compare/")
    html = diff.content.decode()
    assert diff.status_code == 200
    assert [c["label"] for c in diff.context["changes"]] == ["Text (Markdown)"]
    assert "We got the **first** grant." in html and "We got the **second** grant." in html

    restore_url = f"/admin/news/newsitem/{news.pk}/history/{old.pk}/"
    form = staff_client.get(restore_url)
    assert "We got the **first** grant." in form.content.decode()
    news.refresh_from_db()
    assert "second" in news.body  # looking at an old version changes nothing
    assert_saved(staff_client.post(restore_url, admin_form_data(form)))

    assert "We got the <strong>first</strong> grant." in client.get("/news/grant/").content.decode()
    assert Version.objects.get_for_object(news).count() == 3  # the restore is a version too


def test_compare_with_current_shows_difference_to_now(staff_client):
    news = NewsFactory(title="Old title")
    admin_change(staff_client, news, {"title": "Old title"})
    admin_change(staff_client, news, {"title": "New title"})
    first = Version.objects.get_for_object(news).order_by("pk").first()

    response = staff_client.get(
        f"/admin/news/newsitem/{news.pk}/history/{first.pk}/compare/?with=current"
    )

    assert response.context["changes"] == [
        {"label": "Title", "before": "Old title", "after": "New title", "lines": []}
    ]


def test_page_versions_include_sections(staff_client):
    page = PageFactory(slug="about", title="About")
    SectionFactory(page=page, title="Our history", body="Founded in 2019.")
    admin_change(staff_client, page, {"title": "About"})
    data = admin_form_data(staff_client.get(change_url(page)))
    data["sections-0-body"] = "Founded in 2020."
    assert_saved(staff_client.post(change_url(page), data))
    latest = Version.objects.get_for_object(page).first()

    response = staff_client.get(f"/admin/pages/page/{page.pk}/history/{latest.pk}/compare/")

    change = next(c for c in response.context["changes"] if c["label"] == "Sections")
    assert "Founded in 2019." in change["before"] and "Founded in 2020." in change["after"]


def test_deleted_publication_with_authors_is_recovered(staff_client, client):
    member = PersonFactory(slug="grace", first_name="Grace", last_name="Hopper")
    paper = PublicationFactory(slug="risk2024", title="On Risk")  # never saved in the admin
    AuthorshipFactory(publication=paper, person=member, name="", order=0)
    AuthorshipFactory(publication=paper, name="Alan Turing", order=1)

    response = staff_client.post(f"/admin/research/publication/{paper.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Publication.objects.exists()
    assert client.get("/publications/risk2024/").status_code == 404

    listing = staff_client.get("/admin/research/publication/recover/").content.decode()
    version = Version.objects.get_deleted(Publication).get()
    assert f"/admin/research/publication/recover/{version.pk}/" in listing
    form = staff_client.get(f"/admin/research/publication/recover/{version.pk}/")
    assert_saved(
        staff_client.post(
            f"/admin/research/publication/recover/{version.pk}/", admin_form_data(form)
        )
    )

    paper = Publication.objects.get(slug="risk2024")
    assert [a.display_name for a in paper.authorships.all()] == ["Grace Hopper", "Alan Turing"]
    assert "On Risk" in client.get("/publications/risk2024/").content.decode()


def test_bulk_deleted_items_are_recoverable(staff_client):
    first, second = NewsFactory(), NewsFactory()

    response = staff_client.post(
        "/admin/news/newsitem/",
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not NewsItem.objects.exists()
    assert Version.objects.get_deleted(NewsItem).count() == 2


# Every change list of a model with history, sortable ones and those with their own
# object tools (Publications: Import BibTeX) included: the single-row Site settings
# has no change list.
RECOVERABLE = [(model, admin.site._registry[model]) for model in
               (Person, Group, ResearchDirection, Publication, Project, Tag, Page, Section,
                NewsItem, MenuItem)]  # fmt: skip


@pytest.mark.parametrize(("model", "model_admin"), RECOVERABLE,
                         ids=[m._meta.label for m, _ in RECOVERABLE])  # fmt: skip
def test_change_list_links_to_recover_deleted(staff_client, model, model_admin):
    opts = model._meta

    html = staff_client.get(f"/admin/{opts.app_label}/{opts.model_name}/").content.decode()

    link = f'<a href="/admin/{opts.app_label}/{opts.model_name}/recover/" class="recoverlink">'
    assert html.count(link) == 1
    assert f"Recover deleted {opts.verbose_name_plural}" in html


def test_member_change_list_has_no_recover_link(client):
    member = UserFactory(is_staff=True, username="student")
    member.groups.add(AuthGroup.objects.get(name=MEMBER))
    client.force_login(member)

    html = client.get("/admin/research/publication/").content.decode()

    assert "recoverlink" not in html


def test_revision_of_another_object_cannot_be_restored_through_this_one(staff_client):
    news, other = NewsFactory(), NewsFactory(title="Other news")
    admin_change(staff_client, other, {"title": "Other news"})
    version_of_other = Version.objects.get_for_object(other).get()

    response = staff_client.get(f"/admin/news/newsitem/{news.pk}/history/{version_of_other.pk}/")

    assert response.status_code == 404


def test_publish_action_keeps_a_version(staff_client):
    draft = NewsFactory(status="draft")

    staff_client.post(
        "/admin/news/newsitem/", {"action": "publish", "_selected_action": [draft.pk]}
    )

    draft.refresh_from_db()
    assert draft.status == "published"
    assert Version.objects.get_for_object(draft).get().revision.get_comment() == "Published"


@pytest.fixture
def second_editor_client(db):
    client = Client()
    client.force_login(UserFactory(username="bob", is_staff=True, is_superuser=True))
    return client


def test_stale_save_is_refused_with_what_changed_and_nothing_is_lost(
    staff_client, second_editor_client
):
    news = NewsFactory(title="Lab retreat", summary="In the Alps.")
    alice_form = admin_form_data(staff_client.get(change_url(news)))
    bob_form = admin_form_data(second_editor_client.get(change_url(news)))

    bob_form["title"] = "Lab retreat 2025"
    assert_saved(second_editor_client.post(change_url(news), bob_form))
    alice_form["summary"] = "In the Alps, with a hike."
    response = staff_client.post(change_url(news), alice_form)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved this news item after you opened it (last saved by bob)" in html
    errors = str(response.context["adminform"].form.non_field_errors())
    assert "<td>Title</td><td>Lab retreat 2025</td><td>Lab retreat</td>" in errors
    assert "In the Alps, with a hike." in html  # Alice's input is still in the form
    news.refresh_from_db()
    assert (news.title, news.summary) == ("Lab retreat 2025", "In the Alps.")  # Bob's save kept

    # Having seen the conflict, Alice saves again on purpose: her version wins, and
    # Bob's stays in the history.
    again = admin_form_data(response)
    assert_saved(staff_client.post(change_url(news), again))
    news.refresh_from_db()
    assert news.summary == "In the Alps, with a hike."
    titles = [v.field_dict["title"] for v in Version.objects.get_for_object(news)]
    assert "Lab retreat 2025" in titles


def test_stale_inline_edit_is_refused(staff_client, second_editor_client):
    paper = PublicationFactory()
    AuthorshipFactory(publication=paper, name="Ada Lovelace", order=0)
    alice_form = admin_form_data(staff_client.get(change_url(paper)))
    bob_form = admin_form_data(second_editor_client.get(change_url(paper)))
    bob_form["authorships-0-note"] = "equal contribution"
    assert_saved(second_editor_client.post(change_url(paper), bob_form))

    alice_form["title"] = "A better title"
    response = staff_client.post(change_url(paper), alice_form)

    assert response.status_code == 200
    errors = str(response.context["adminform"].form.non_field_errors())
    assert "Authorships" in errors and "equal contribution" in errors
    paper.refresh_from_db()
    assert paper.title != "A better title"


def test_saving_an_unchanged_row_is_not_a_conflict(staff_client):
    news = NewsFactory()
    data = admin_form_data(staff_client.get(change_url(news)))
    assert data["_edit_base"]
    data["title"] = "Fresh"
    assert_saved(staff_client.post(change_url(news), data))


def test_every_content_admin_keeps_history():
    for model in (Person, Group, ResearchDirection, Publication, Project, Tag, Page, Section,
                  NewsItem, MenuItem, SiteSettings):  # fmt: skip
        model_admin = admin.site._registry[model]
        assert hasattr(model_admin, "compare_view"), model
        assert reversion.is_registered(model), model
