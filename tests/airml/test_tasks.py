"""Background work on the database queue: contact mail, renditions and link checks
run by the worker (`manage.py db_worker`, here in the test's process), failures
tried again with a growing delay up to a bound, the results listed for Lab admins
only, and `manage.py schedule_tasks` queueing the link check once per period."""

import datetime
import io
import os

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from airml import linkcheck, renditions, tasks
from airml.models import LinkCheck
from airml.roles import EDITOR, LAB_ADMIN
from pages.models import ContactMessage, Section, SiteSettings
from tests.factories import (
    PageFactory,
    PersonFactory,
    PublicationFactory,
    SectionFactory,
    UserFactory,
    image_file,
)

pytestmark = pytest.mark.django_db

CONTACT = {"name": "Grace Hopper", "email": "grace@example.org", "subject": "A visit",
           "message": "Could we visit the lab in May?"}  # fmt: skip
MAIL_TASK = "pages.tasks.send_contact_notification"


@pytest.fixture
def queue(settings, monkeypatch):
    """The production backend: tasks wait in the database for the worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["default"]}}  # fmt: skip
    # The worker closes connections not in autocommit, which the test's transaction
    # never is; in its own process (the smoke test) it keeps this call.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def run_worker():
    """`manage.py db_worker --batch`: run every task that is due, then stop."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0",
                 stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip


def results(path=MAIL_TASK):
    rows = DBTaskResult.objects.filter(task_path=path).order_by("enqueued_at")
    return sorted((r.status, r.args_kwargs["kwargs"].get("attempt", 1)) for r in rows)


@pytest.fixture
def contact_page():
    SiteSettings.objects.update_or_create(pk=1, defaults={"email": "lab@example.org"})
    page = PageFactory(slug="contact", title="Contact",
                       publish_at=timezone.now() - datetime.timedelta(days=1))  # fmt: skip
    SectionFactory(page=page, kind=Section.Kind.CONTACT, title="Get in touch")
    return page


@pytest.fixture
def mail_down(monkeypatch):
    """The mail server refuses connections until `mail_down["down"]` is set False."""
    state = {"down": True}
    send = EmailMessage.send

    def refuse_while_down(self, fail_silently=False):
        if state["down"]:
            raise ConnectionRefusedError("mail server down")
        return send(self, fail_silently)

    monkeypatch.setattr(EmailMessage, "send", refuse_while_down)
    return state


def test_contact_mail_is_sent_by_the_worker_not_the_request(client, contact_page, queue):
    response = client.post("/contact/", CONTACT)

    assert response.status_code == 302
    assert ContactMessage.objects.count() == 1
    assert mail.outbox == [] and results() == [("READY", 1)]

    run_worker()

    assert results() == [("SUCCESSFUL", 1)]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lab@example.org"]
    assert "Could we visit the lab in May?" in mail.outbox[0].body
    assert "http://testserver/admin/pages/contactmessage/" in mail.outbox[0].body


def test_failing_task_is_retried_with_growing_delay_then_given_up(
    clock, client, contact_page, queue, mail_down
):
    client.post("/contact/", CONTACT)
    delays = []

    for _run in range(tasks.MAX_ATTEMPTS):
        run_worker()
        waiting = DBTaskResult.objects.filter(status="READY").first()
        if waiting is None:
            break
        delays.append(waiting.run_after - clock.now)
        clock.advance(seconds=(waiting.run_after - clock.now).total_seconds())

    minute = datetime.timedelta(minutes=1)
    assert delays == [minute, 2 * minute, 4 * minute]
    assert results() == [("FAILED", 1), ("FAILED", 2), ("FAILED", 3), ("FAILED", 4)]
    last = DBTaskResult.objects.get(args_kwargs__kwargs__attempt=4)
    assert "ConnectionRefusedError: mail server down" in last.traceback
    assert mail.outbox == [] and ContactMessage.objects.count() == 1


def test_retried_task_that_then_succeeds_sends_the_mail_once(
    clock, client, contact_page, queue, mail_down
):
    client.post("/contact/", CONTACT)
    run_worker()
    mail_down["down"] = False  # the mail server is back
    clock.advance(minutes=1)

    run_worker()

    assert results() == [("FAILED", 1), ("SUCCESSFUL", 2)]
    assert len(mail.outbox) == 1


def test_failing_task_with_the_immediate_backend_is_not_retried(client, contact_page, mail_down):
    response = client.post("/contact/", CONTACT)

    assert response.status_code == 302  # the visitor never sees the mail failure
    assert DBTaskResult.objects.count() == 0 and mail.outbox == []


def test_retry_delay_doubles():
    assert [tasks.retry_delay(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]


def user_in(role):
    user = UserFactory(is_staff=True)
    user.groups.add(AuthGroup.objects.get(name=role))
    return user


def test_failed_tasks_are_listed_for_lab_admins_only(client, contact_page, queue, mail_down):
    client.post("/contact/", CONTACT)
    run_worker()
    failed = DBTaskResult.objects.get(status="FAILED")

    client.force_login(user_in(LAB_ADMIN))
    listing = client.get("/admin/django_tasks_database/dbtaskresult/?status__exact=FAILED")
    detail = client.get(f"/admin/django_tasks_database/dbtaskresult/{failed.pk}/change/")
    index = client.get("/admin/").content.decode()
    editor = user_in(EDITOR)
    # Even given the model permission, an Editor is not shown the list: it is by role.
    editor.user_permissions.add(Permission.objects.get(codename="view_dbtaskresult"))
    client.force_login(editor)
    editor_listing = client.get("/admin/django_tasks_database/dbtaskresult/")
    editor_index = client.get("/admin/").content.decode()

    html = listing.content.decode()
    assert listing.status_code == 200
    assert "send_contact_notification" in html and "Failed" in html
    assert "ConnectionRefusedError: mail server down" in detail.content.decode()
    assert "Background tasks (failed ones are tried again)" in index
    assert editor_listing.status_code == 403
    assert "Background tasks" not in editor_index


def rendition_count(settings):
    root = os.path.join(settings.MEDIA_ROOT, "renditions")
    return sum(len(files) for _root, _dirs, files in os.walk(root))


def test_renditions_are_written_by_the_worker(settings, queue):
    PersonFactory(avatar=image_file(size=(1400, 900)))

    assert rendition_count(settings) == 0
    assert results("airml.renditions.write_renditions") == [("READY", 1)]

    run_worker()

    assert rendition_count(settings) == 3
    assert results("airml.renditions.write_renditions") == [("SUCCESSFUL", 1)]


def test_renditions_deferred_by_an_import_are_queued_after_it(settings, queue):
    with renditions.deferred():
        PersonFactory(avatar=image_file(size=(1400, 900)))
        PersonFactory(avatar=image_file(size=(800, 600)))
        queued_during = results("airml.renditions.write_renditions")

    queued_after = results("airml.renditions.write_renditions")
    run_worker()

    assert queued_during == []
    assert queued_after == [("READY", 1), ("READY", 1)]
    assert rendition_count(settings) == 3 + 2


def test_renditions_deferred_are_not_queued_when_the_import_fails(settings, queue):
    with pytest.raises(RuntimeError), renditions.deferred():
        PersonFactory(avatar=image_file(size=(1400, 900)))
        raise RuntimeError("import failed")

    assert results("airml.renditions.write_renditions") == []


LINK_TASK = "pages.tasks.check_external_links"


def test_schedule_tasks_queues_the_link_check_once_per_period(clock, queue, monkeypatch):
    PublicationFactory(url_pdf="https://example.org/gone.pdf")
    monkeypatch.setattr(linkcheck, "fetch_status", lambda url: (404, ""))
    out = io.StringIO()

    call_command("schedule_tasks", "--once", stdout=out)
    call_command("schedule_tasks", "--once", stdout=out)  # e.g. a restart: not again
    run_worker()
    clock.advance(hours=23)
    call_command("schedule_tasks", "--once", stdout=out)
    queued_within_a_day = results(LINK_TASK)
    clock.advance(hours=1, seconds=1)
    call_command("schedule_tasks", "--once", stdout=out)

    assert queued_within_a_day == [("SUCCESSFUL", 1)]
    assert results(LINK_TASK) == [("READY", 1), ("SUCCESSFUL", 1)]
    assert out.getvalue().count(f"Queued {LINK_TASK}") == 2
    assert LinkCheck.objects.get(url="https://example.org/gone.pdf").status == 404


def test_schedule_tasks_refuses_the_immediate_backend():
    with pytest.raises(CommandError, match="TASKS_BACKEND=immediate"):
        call_command("schedule_tasks", "--once")
