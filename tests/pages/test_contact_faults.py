"""The contact form under hostile input: header injection, huge bodies, floods, a mail
server that never answers."""

import socket
import threading
import time

import pytest

from pages import views
from pages.forms import MESSAGE_MAX_LENGTH
from pages.models import ContactMessage, Section, SiteSettings
from tests.factories import PageFactory, SectionFactory

pytestmark = pytest.mark.django_db

VALID = {"name": "Grace Hopper", "email": "grace@example.org", "subject": "A visit",
         "message": "Could we visit the lab in May?"}  # fmt: skip


@pytest.fixture
def contact_page():
    SiteSettings.objects.filter(pk=SiteSettings.load().pk).update(email="lab@example.org")
    page = PageFactory(slug="contact", title="Contact")
    SectionFactory(page=page, kind=Section.Kind.CONTACT, title="Get in touch")
    return page


@pytest.mark.parametrize("field", ["name", "subject"])
@pytest.mark.parametrize("line_break", ["\r\n", "\n", "\r", "\u2028"])
def test_contact_header_field_with_crlf_is_refused(client, contact_page, field, line_break):
    data = {**VALID, field: f"Hello{line_break}Bcc: victim@example.org"}

    response = client.post("/contact/", data)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="contact-{field}-error">Please keep this on one line' in html
    assert ContactMessage.objects.count() == 0


def test_contact_subject_with_crlf_is_refused(client, contact_page):
    response = client.post("/contact/", {**VALID, "subject": "Hi\r\nBcc: x@example.org"})

    assert 'id="contact-subject-error">Please keep this on one line' in response.content.decode()
    assert ContactMessage.objects.count() == 0


def test_contact_email_with_crlf_is_refused(client, contact_page):
    response = client.post("/contact/", {**VALID, "email": "grace@example.org\r\nBcc: x@y.org"})

    assert 'id="contact-email-error">Please keep this on one line' in response.content.decode()
    assert ContactMessage.objects.count() == 0


def test_contact_message_may_have_line_breaks(client, contact_page):
    response = client.post("/contact/", {**VALID, "message": "Line one\r\nLine two"})

    assert response.status_code == 302
    assert ContactMessage.objects.get().message == "Line one\r\nLine two"


def test_contact_megabyte_body_is_refused_with_413_not_echoed(client, contact_page):
    huge = "A" * 1_000_000

    response = client.post("/contact/", {**VALID, "message": huge})

    assert response.status_code == 413
    assert len(response.content) < 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert ContactMessage.objects.count() == 0


def test_contact_message_over_limit_is_refused_not_echoed(client, contact_page):
    long_text = "B" * (MESSAGE_MAX_LENGTH + 500)

    response = client.post("/contact/", {**VALID, "message": long_text})

    assert response.status_code == 200
    html = response.content.decode()
    assert "B" * 100 not in html
    assert 'id="contact-message-error">Your message is longer than 5000 characters' in html
    assert 'value="Grace Hopper"' in html  # the rest of the form is kept
    assert ContactMessage.objects.count() == 0


def test_contact_rate_limit_answers_429_with_retry_after(client, contact_page, monkeypatch):
    monkeypatch.setattr(views, "CONTACT_RATE_LIMIT", 1)
    assert client.post("/contact/", VALID).status_code == 302

    refused = client.post("/contact/", VALID)

    assert refused.status_code == 429
    retry = int(refused["Retry-After"])
    assert 3500 <= retry <= views.CONTACT_RATE_WINDOW


class SilentSMTPServer:
    """Accepts connections and never says a word (a stuck mail server)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.clients = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            self.clients.append(conn)

    def close(self):
        for conn in self.clients:
            conn.close()
        self.sock.close()


def test_contact_mail_server_that_never_answers_times_out_and_message_is_stored(
    client, contact_page, settings
):
    server = SilentSMTPServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 1
    try:
        started = time.monotonic()
        response = client.post("/contact/", VALID)
        elapsed = time.monotonic() - started
    finally:
        server.close()

    assert response.status_code == 302
    assert elapsed < 3, f"the request waited {elapsed:.1f} s for the mail server"
    assert ContactMessage.objects.get().subject == "A visit"


def test_contact_mail_timeout_is_short_by_default():
    from django.conf import settings

    assert 0 < settings.EMAIL_TIMEOUT <= 5
