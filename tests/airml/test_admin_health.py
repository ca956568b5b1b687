"""Content health: the admin page, `manage.py check_content`, and the link checker
(recorded responses only; a test proves no request reaches the network)."""

import datetime
import io
import socket

import pytest
from django.core.management import call_command
from django.utils import timezone

from airml import linkcheck
from airml.models import LinkCheck
from pages import content_health
from people.models import Person
from tests.factories import (
    NewsFactory,
    PageFactory,
    PersonFactory,
    PublicationFactory,
    image_file,
)

pytestmark = pytest.mark.django_db


def problems(check):
    return content_health.report()[check]


def test_people_without_photo_or_bio_and_alumni_without_now_at():
    PersonFactory(first_name="No", last_name="Photo", bio="Has a bio.")
    PersonFactory(first_name="Full", last_name="Profile", bio="Bio.", avatar=image_file(),
                  avatar_alt="x")  # fmt: skip
    PersonFactory(first_name="Gone", last_name="Away", member_status="alumni", now_at="")
    PersonFactory(first_name="Known", last_name="Place", member_status="alumni", now_at="MIT")

    assert [p.label for p in problems("person")] == ["No Photo"]
    assert [p.label for p in problems("alumni")] == ["Gone Away"]
    assert problems("person")[0].admin_url.startswith("/admin/people/person/")


def test_profiles_untouched_for_a_year():
    old = PersonFactory(first_name="Old", last_name="Profile")
    PersonFactory(first_name="Fresh", last_name="Profile")
    Person.objects.filter(pk=old.pk).update(modified=timezone.now() - datetime.timedelta(days=400))

    assert [p.label for p in problems("stale")] == ["Old Profile"]


def test_publications_without_links_and_duplicates():
    PublicationFactory(title="Lonely paper", doi="", url_pdf="", url_code="", url_project="")
    PublicationFactory(title="Twin", doi="10.1/a")
    PublicationFactory(title="twin", doi="10.1/b")
    PublicationFactory(title="Same DOI one", doi="10.5/X")
    PublicationFactory(title="Same DOI two", doi="10.5/x")
    PublicationFactory(title="Unique", doi="10.9/z")

    assert [p.label for p in problems("publication_links")] == ["Lonely paper"]
    assert sorted(p.label for p in problems("duplicates")) == [
        "Same DOI one", "Same DOI two", "Twin", "twin"]  # fmt: skip


def test_images_without_alt_text():
    item = NewsFactory(title="Pictured", image=image_file(), image_alt="")

    assert [p.admin_url for p in problems("alt")] == [f"/admin/news/newsitem/{item.pk}/change/"]


def test_broken_internal_links_in_markdown():
    PersonFactory(slug="ada")
    PageFactory(slug="about", body="See [Ada](/people/ada/), [Bob](/people/bob/), "
                                   "[nothing](/no/such/place/) and [home](/).")  # fmt: skip

    assert sorted(p.detail for p in problems("internal_links")) == [
        "/no/such/place/", "/people/bob/"]  # fmt: skip


def test_external_links_failing_are_read_from_stored_checks():
    paper = PublicationFactory(
        url_pdf="https://example.org/gone.pdf", url_code="https://ok.example/"
    )
    recorded = {"https://example.org/gone.pdf": (404, ""), "https://ok.example/": (200, "")}

    linkcheck.check_urls([url for url, _obj in content_health.external_links()],
                         fetch=recorded.__getitem__)  # fmt: skip

    found = problems("external_links")
    assert [(p.label, p.detail) for p in found] == [
        (paper.title, "https://example.org/gone.pdf: 404")]  # fmt: skip


def test_link_checker_makes_no_network_request_in_tests(monkeypatch):
    attempts = []

    def refuse(self, address):
        attempts.append(address)
        raise OSError("network disabled in tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo",
                        lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "",
                                          ("192.0.2.1", 443))])  # fmt: skip

    status, error = linkcheck.fetch_status("https://example.org/paper.pdf", timeout=1)

    assert status is None and "network disabled" in error
    assert attempts  # the checker did try, and the failure became a stored result
    assert linkcheck.fetch_status("file:///etc/passwd") == (None, "not a web link")


def test_check_content_command_lists_problems_with_links_to_forms():
    person = PersonFactory(first_name="Gone", last_name="Away", member_status="alumni")
    out = io.StringIO()

    call_command("check_content", stdout=out)

    text = out.getvalue()
    assert "Alumni without “now at”: 1" in text
    assert f"Gone Away: where did they go next?  /admin/people/person/{person.pk}/change/" in text


def test_check_content_links_option_stores_results(monkeypatch):
    PublicationFactory(url_pdf="https://example.org/a.pdf")
    monkeypatch.setattr(linkcheck, "fetch_status", lambda url: (500, ""))
    out = io.StringIO()

    call_command("check_content", "--links", stdout=out)

    assert LinkCheck.objects.get(url="https://example.org/a.pdf").status == 500
    assert "External links that fail: 1" in out.getvalue()


def test_admin_health_page_links_each_problem_to_its_form(staff_client):
    person = PersonFactory(first_name="Gone", last_name="Away", member_status="alumni")

    html = staff_client.get("/admin/content-health/").content.decode()

    assert f'<a href="/admin/people/person/{person.pk}/change/">Gone Away</a>' in html
    assert "Alumni without “now at”" in html


def test_members_may_not_open_the_health_page(client):
    from django.contrib.auth.models import Group as AuthGroup

    from tests.factories import UserFactory

    user = UserFactory(is_staff=True)
    user.groups.add(AuthGroup.objects.get(name="Member"))
    client.force_login(user)

    assert client.get("/admin/content-health/").status_code == 403


def make_problems(n):
    for i in range(n):
        PersonFactory(first_name=f"Alum{i}", last_name="X", member_status="alumni", now_at="")
        PublicationFactory(title=f"Dup {i}", doi=f"10.1/dup{i}", url_pdf="")
        PublicationFactory(title=f"dup {i}", doi="", url_pdf="", url_code="", url_project="")
        NewsFactory(image=image_file(), image_alt="", body=f"[gone](/people/nobody-{i}/)")
        page = PageFactory(body=f"[x](https://example.org/{i})")
        LinkCheck.objects.create(url=f"https://example.org/{i}", status=404)
        from tests.factories import SectionFactory

        SectionFactory(page=page, body=f"[y](/no/such/{i}/)")


@pytest.mark.parametrize("n", [1, 3])
def test_content_health_page_query_count_is_fixed(staff_client, django_assert_num_queries, n):
    make_problems(n)
    staff_client.get("/admin/content-health/")

    # session, user, then a fixed number per check (the same for 1 and 3 problems each);
    # the site context comes from the cache the first request warmed
    with django_assert_num_queries(43):
        response = staff_client.get("/admin/content-health/")

    groups = {g["key"]: len(g["problems"]) for g in response.context["groups"]}
    assert groups["alumni"] == n and groups["internal_links"] == 2 * n
    assert groups["external_links"] == n and groups["duplicates"] == 2 * n
