"""Security headers, the CSP the admin lives under, login lockout, sessions."""

import re

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session

from pages.models import Page
from tests.factories import AuthorshipFactory, PageFactory, PublicationFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-123"
LOGIN = "/admin/login/"


def csp_directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_pages_send_security_headers_over_https(client):
    response = client.get("/", secure=True)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_csp_allows_only_own_scripts(client):
    directives = csp_directives(client.get("/"))

    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["default-src"] == ["'self'"]


def test_plain_http_is_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/people/")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/people/"


def test_forwarded_proto_is_ignored_from_untrusted_peer(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.TRUSTED_PROXIES = ["172.30.57.10"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    spoofed = client.get("/people/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="198.51.100.4")
    proxied = client.get("/people/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="172.30.57.10")

    assert spoofed.status_code == 301
    assert proxied.status_code == 200


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=\"", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+=\"", re.I)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/pages/page/",
        "/admin/pages/page/add/",
        "/admin/pages/page/{pk}/change/",
        "/admin/people/person/add/",
        "/admin/research/publication/add/",
        # the editors' dashboard, content health, forms with sortable inlines and
        # autocompletes, drag-and-drop change lists
        "/admin/content-health/",
        "/admin/research/publication/{paper}/change/",
        "/admin/people/person/",
        "/admin/pages/menuitem/",
        "/admin/news/newsitem/",
    ],
)
def test_admin_and_markdown_editor_need_no_inline_code(staff_client, path):
    page = PageFactory()
    paper = PublicationFactory()
    AuthorshipFactory(publication=paper)
    response = staff_client.get(path.format(pk=page.pk, paper=paper.pk))
    html = response.content.decode()

    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert INLINE_SCRIPT.findall(html) == []
    assert INLINE_STYLE.findall(html) == []
    assert INLINE_HANDLER.findall(html) == []


def test_preview_needs_no_inline_code_and_is_never_cached(staff_client):
    from tests.admin_forms import admin_form_data

    page = PageFactory(body="Hello")
    data = admin_form_data(staff_client.get(f"/admin/pages/page/{page.pk}/change/"))
    response = staff_client.post(f"/admin/pages/page/{page.pk}/preview/", data)
    html = response.content.decode()

    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    assert INLINE_SCRIPT.findall(html) == []
    assert INLINE_STYLE.findall(html) == []
    assert INLINE_HANDLER.findall(html) == []


def test_markdown_editor_is_on_the_page_form(staff_client):
    html = staff_client.get("/admin/pages/page/add/").content.decode()

    assert 'class="markdownx"' in html
    assert re.search(r'<script src="/static/markdownx/js/markdownx(\.min)?\.js"', html)


def attempt(client, username, password, **meta):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, **meta
    )


def test_login_locks_out_an_address_after_repeated_failures(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory(is_staff=True)
    attacker = {"REMOTE_ADDR": "198.51.100.66"}

    statuses = [attempt(client, user.username, "wrong", **attacker).status_code for _ in range(3)]
    locked = attempt(client, user.username, PASSWORD, **attacker)

    assert statuses[:2] == [200, 200]  # the login form again, with an error
    assert statuses[2] == 429
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()


def test_lockout_behind_the_proxy_hits_only_the_attacker(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.TRUSTED_PROXIES = ["172.30.57.10"]
    user = UserFactory(is_staff=True)
    via_proxy = {"REMOTE_ADDR": "172.30.57.10"}

    for _ in range(3):
        # The attacker even puts the victim's address in front of the header.
        attempt(client, user.username, "wrong", HTTP_X_FORWARDED_FOR="203.0.113.77, 203.0.113.66",
                **via_proxy)  # fmt: skip
    attacker = attempt(client, user.username, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.66",
                       **via_proxy)  # fmt: skip
    visitor = attempt(client, user.username, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.77",
                      **via_proxy)  # fmt: skip

    assert attacker.status_code == 429
    assert visitor.status_code == 302
    assert visitor["Location"] == "/admin/"


def test_login_rotates_the_session_key_and_logout_invalidates_it(client):
    user = UserFactory(is_staff=True)
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = before

    assert attempt(client, user.username, PASSWORD).status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value

    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert client.get("/admin/").status_code == 200

    client.post("/admin/logout/")

    assert not Session.objects.filter(session_key=after).exists()
    client.cookies[settings.SESSION_COOKIE_NAME] = after
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_session_and_csrf_cookies_are_secure_and_httponly(client):
    response = client.get(LOGIN)
    csrf = response.cookies["csrftoken"]

    assert csrf["secure"] is True
    assert csrf["httponly"] is True
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert Page.objects.count() == 0  # the login page creates no content
