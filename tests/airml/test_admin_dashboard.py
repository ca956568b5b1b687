"""The admin index as an editors' dashboard; what each role sees there."""

import datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from airml.roles import EDITOR, LAB_ADMIN
from pages.models import ContactMessage, SiteSettings
from tests.factories import (
    NewsFactory,
    PersonFactory,
    PublicationFactory,
    UserFactory,
    image_file,
)

pytestmark = pytest.mark.django_db


def user_in(role):
    user = UserFactory(is_staff=True)
    user.groups.add(AuthGroup.objects.get(name=role))
    return user


@pytest.fixture
def editor_client(client):
    client.force_login(user_in(EDITOR))
    return client


def make_content(n):
    later = timezone.now() + datetime.timedelta(days=4)
    for i in range(n):
        NewsFactory(title=f"Draft news {i}", status="draft")
        PublicationFactory(title=f"Scheduled paper {i}", status="published", publish_at=later)
        ContactMessage.objects.create(name=f"V{i}", email="v@example.org", subject=f"Hello {i}",
                                      message="Hi")  # fmt: skip
    ContactMessage.objects.create(name="R", email="r@example.org", subject="Read", message="x",
                                  is_read=True)  # fmt: skip


def test_dashboard_lists_drafts_scheduled_messages_and_actions(editor_client, staff_user):
    make_content(2)
    person = PersonFactory(first_name="Ada", last_name="Lovelace")
    LogEntry.objects.log_actions(staff_user.pk, [person], CHANGE, change_message="[]")

    html = editor_client.get("/admin/").content.decode()

    assert "Draft news 0" in html and "Draft news 1" in html
    assert html.count("Scheduled for ") == 2
    assert 'data-count="2"' in html  # unread messages (the read one is not counted)
    assert "Hello 1" in html and ">Read<" not in html
    assert "Ada Lovelace" in html  # latest changes
    actions = [("Add news", "/admin/news/newsitem/add/"),
               ("Add a publication", "/admin/research/publication/add/"),
               ("Import BibTeX", "/admin/research/publication/import-bibtex/")]  # fmt: skip
    for label, url in actions:
        assert f'href="{url}">{label}</a>' in html
    assert "/admin/content-health/" in html


@pytest.mark.parametrize("n", [1, 4])
def test_dashboard_query_count_is_fixed(editor_client, django_assert_num_queries, n):
    make_content(n)
    editor_client.get("/admin/")  # warm the site settings cache and the session

    from django.core.cache import cache

    from pages.dashboard import HEALTH_KEY

    cache.delete(HEALTH_KEY)
    # session, user, permissions (2), roles; one per public type (7); the log; unread
    # messages (2); the publication inbox count; the content-health check (its own fixed
    # count, cached afterwards). The site settings context comes from the cache, warmed
    # by the first request. The same for 1 and for 4 items of each kind.
    with django_assert_num_queries(44):
        response = editor_client.get("/admin/")
    assert response.status_code == 200


def test_admin_is_branded_with_the_lab_name_and_logo(editor_client):
    settings = SiteSettings.load()
    settings.name = "Robust Lab"
    settings.logo = image_file("logo.png", "PNG")
    settings.save()

    html = editor_client.get("/admin/").content.decode()

    assert "Robust Lab admin" in html and "Django administration" not in html
    assert f'src="{SiteSettings.load().logo.url}"' in html


def test_editor_sees_no_security_log_sites_imports_or_account_roles(editor_client):
    html = editor_client.get("/admin/").content.decode()

    for hidden in ("/admin/axes/", "/admin/sites/", "/admin/importers/importeditem/",
                   "/admin/auth/group/"):  # fmt: skip
        assert hidden not in html
    assert editor_client.get("/admin/axes/accessattempt/").status_code == 403
    assert editor_client.get("/admin/importers/importeditem/").status_code == 403
    assert html.count(">Team groups<") == 1 and ">Groups<" not in html


def test_lab_admin_sees_them_with_clear_names(client):
    client.force_login(user_in(LAB_ADMIN))

    html = client.get("/admin/").content.decode()

    for shown in ("/admin/axes/accessattempt/", "/admin/sites/site/",
                  "/admin/importers/importeditem/", "/admin/auth/group/"):  # fmt: skip
        assert shown in html
    assert "Roles (what an account may edit)" in html and ">Team groups<" in html
    assert ">Groups<" not in html


def test_member_sees_no_other_peoples_drafts(client):
    from airml.roles import MEMBER

    user = user_in(MEMBER)
    PersonFactory(user=user, status="published")
    NewsFactory(title="Someone else's draft", status="draft")
    ContentType.objects.clear_cache()
    client.force_login(user)

    html = client.get("/admin/").content.decode()

    assert "Someone else's draft" not in html
    assert "content-health" not in html and "Import BibTeX" not in html


def test_dashboard_counts_the_works_waiting_in_the_inbox(editor_client):
    from research.inbox import InboxItem
    from tests.factories import PersonFactory

    person = PersonFactory()
    for n in range(3):
        status = "rejected" if n == 2 else "pending"
        InboxItem.objects.create(
            person=person, identity=f"doi:10.1/{n}", source="orcid", title=f"W{n}", status=status
        )

    response = editor_client.get("/admin/")

    assert response.context["inbox_count"] == 2
    assert "2 works from ORCID or OpenAlex wait for a decision." in response.content.decode()
