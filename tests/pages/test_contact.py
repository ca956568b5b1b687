"""The contact page: details, the form, honeypot, rate limit, storage, notification, admin."""

import logging

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.core import mail
from django.core.management import call_command

from pages import views
from pages.models import ContactMessage, MenuItem, Page, Section, SiteSettings
from tests.factories import PageFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

VALID = {"name": "Grace Hopper", "email": "grace@example.org", "subject": "A visit",
         "message": "Could we visit the lab in May?"}  # fmt: skip


@pytest.fixture
def contact_page():
    site = SiteSettings.load()
    site.email = "lab@example.org"
    site.phone = "+41 44 000 00 00"
    site.address = "Main Street 1\n8000 Zurich"
    site.map_url = "https://www.openstreetmap.org/?mlat=47.37&mlon=8.54"
    site.directions = "Tram 10 to the university, then the second building on the left."
    site.save()
    page = PageFactory(slug="contact", title="Contact")
    SectionFactory(page=page, kind=Section.Kind.CONTACT, title="Get in touch", body="Write!")
    return page


def test_contact_page_shows_details_map_link_and_form(client, contact_page):
    response = client.get("/contact/")

    html = response.content.decode()
    assert "<address>Main Street 1<br>8000 Zurich</address>" in html
    assert (
        'href="https://www.openstreetmap.org/?mlat=47.37&amp;mlon=8.54">Open in a map</a>' in html
    )
    assert "Tram 10 to the university" in html
    assert 'href="mailto:lab@example.org"' in html
    assert "<iframe" not in html  # a plain link, no embedded third-party map
    assert 'method="post" action="/contact/#contact"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<label for="contact-email">Your email <span class="required">(required)</span>' in html
    assert 'autocomplete="email"' in html and 'aria-describedby="contact-email-help"' in html
    # The form carries a per-visitor CSRF token: no shared cache may keep the page.
    assert "private" in response["Cache-Control"]


def test_honeypot_is_hidden_from_people_and_keyboards(client, contact_page):
    html = client.get("/contact/").content.decode()

    start = html.index('<div class="hp" aria-hidden="true">')
    honeypot = html[start : html.index("</div>", start)]
    assert 'name="website"' in honeypot
    assert 'tabindex="-1"' in honeypot and 'autocomplete="off"' in honeypot


def test_valid_message_is_stored_and_notified(client, contact_page):
    response = client.post("/contact/", VALID)

    assert response.status_code == 302
    assert response["Location"] == "/contact/?sent=1#contact"
    message = ContactMessage.objects.get()
    sender = (message.name, message.email, message.subject)
    assert sender == ("Grace Hopper", "grace@example.org", "A visit")
    assert message.message == VALID["message"] and message.page == contact_page
    assert message.is_read is False
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["lab@example.org"] and sent.reply_to == ["grace@example.org"]
    assert sent.subject == "[AIR-ML Lab] A visit"
    assert "Could we visit the lab in May?" in sent.body
    thanks = client.get(response["Location"]).content.decode()
    assert 'role="status">Thank you: your message has been sent.' in thanks


def test_invalid_message_keeps_input_and_explains(client, contact_page):
    data = {**VALID, "email": "not-an-address", "message": ""}

    response = client.post("/contact/", data)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and "Please correct the marked fields below" in html
    assert 'value="Grace Hopper"' in html and 'value="not-an-address"' in html
    assert 'value="A visit"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="contact-email-error contact-email-help"' in html
    assert 'id="contact-message-error">This field is required.' in html
    assert ContactMessage.objects.count() == 0 and mail.outbox == []


def test_filled_honeypot_gets_fake_success_and_stores_nothing(client, contact_page):
    response = client.post("/contact/", {**VALID, "website": "http://spam.example"})

    assert response.status_code == 302 and response["Location"] == "/contact/?sent=1#contact"
    assert ContactMessage.objects.count() == 0 and mail.outbox == []


def test_rate_limit_per_client_address(client, contact_page, monkeypatch):
    monkeypatch.setattr(views, "CONTACT_RATE_LIMIT", 2)
    for _ in range(2):
        assert client.post("/contact/", VALID).status_code == 302

    refused = client.post("/contact/", {**VALID, "subject": "Third try"})

    assert refused.status_code == 429
    html = refused.content.decode()
    assert "several messages in the last hour" in html and 'value="Third try"' in html
    assert ContactMessage.objects.count() == 2
    other = client.post("/contact/", VALID, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302 and ContactMessage.objects.count() == 3


def test_rate_limit_believes_forwarded_address_only_from_trusted_proxy(
    client, contact_page, monkeypatch, settings
):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    monkeypatch.setattr(views, "CONTACT_RATE_LIMIT", 1)
    via_proxy = {"REMOTE_ADDR": "10.0.0.1"}

    assert client.post("/contact/", VALID, HTTP_X_FORWARDED_FOR="198.51.100.1",
                       **via_proxy).status_code == 302  # fmt: skip
    assert client.post("/contact/", VALID, HTTP_X_FORWARDED_FOR="198.51.100.2",
                       **via_proxy).status_code == 302  # fmt: skip
    assert client.post("/contact/", VALID, HTTP_X_FORWARDED_FOR="198.51.100.1",
                       **via_proxy).status_code == 429  # fmt: skip


def test_mail_failure_is_logged_not_shown(client, contact_page, monkeypatch, caplog):
    def broken_send(self, fail_silently=False):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken_send)

    with caplog.at_level(logging.WARNING, logger="pages.tasks"):
        response = client.post("/contact/", VALID)

    assert response.status_code == 302
    assert ContactMessage.objects.count() == 1
    assert "Could not send the contact notification" in caplog.text


def test_no_site_email_means_no_mail(client, contact_page):
    SiteSettings.objects.update(email="")

    assert client.post("/contact/", VALID).status_code == 302

    assert ContactMessage.objects.count() == 1 and mail.outbox == []


def test_post_to_page_without_contact_form_is_not_allowed(client):
    PageFactory(slug="positions")

    response = client.post("/positions/", VALID)

    assert response.status_code == 405 and ContactMessage.objects.count() == 0


def test_form_requires_csrf_token(contact_page):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/contact/", VALID)

    assert response.status_code == 403 and ContactMessage.objects.count() == 0


def test_seed_creates_contact_page_and_menu_item_once(client):
    call_command("load_seed")
    call_command("load_seed")

    page = Page.objects.get(slug="contact")
    assert [s.kind for s in page.sections.all()] == [Section.Kind.CONTACT]
    assert MenuItem.objects.filter(url="/contact/", label="Contact").count() == 1
    html = client.get("/contact/").content.decode()
    assert 'id="contact"' in html and 'href="/contact/" aria-current="page"' in html


def test_admin_lists_searches_and_marks_messages_read(staff_client, contact_page):
    ContactMessage.objects.create(name="Alan", email="alan@example.org", message="About Enigma")
    other = ContactMessage.objects.create(name="Ada", email="ada@example.org", message="Engines")

    listing = staff_client.get("/admin/pages/contactmessage/?q=enigma").content.decode()
    assert "Alan" in listing and "ada@example.org" not in listing
    unread = staff_client.get("/admin/pages/contactmessage/?is_read__exact=0")
    assert unread.status_code == 200

    staff_client.post("/admin/pages/contactmessage/",
                      {"action": "mark_read", "_selected_action": [other.pk]})  # fmt: skip

    other.refresh_from_db()
    assert other.is_read is True
    assert staff_client.get("/admin/pages/contactmessage/add/").status_code == 403


def test_editor_may_read_and_delete_messages_member_may_not(client):
    editor = UserFactory(is_staff=True)
    editor.groups.add(AuthGroup.objects.get(name="Editor"))
    member = UserFactory(is_staff=True)
    member.groups.add(AuthGroup.objects.get(name="Member"))

    assert {"pages.view_contactmessage", "pages.change_contactmessage",
            "pages.delete_contactmessage"} <= editor.get_all_permissions()  # fmt: skip
    assert "pages.add_contactmessage" not in editor.get_all_permissions()
    client.force_login(editor)
    assert client.get("/admin/pages/contactmessage/").status_code == 200
    client.force_login(member)
    assert client.get("/admin/pages/contactmessage/").status_code == 403
