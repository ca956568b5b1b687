"""Work the worker does for `pages`: the contact notification and the link check.

Both are `airml.tasks.retried_task`s: a failure (mail server down, database hiccup)
is tried again a few times, then stays listed as failed for Lab admins. The link
check is enqueued on a timer by `manage.py schedule_tasks` (settings.PERIODIC_TASKS).
"""

import logging

from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from airml import linkcheck
from airml.tasks import retried_task
from pages import content_health
from pages.models import ContactMessage, SiteSettings

logger = logging.getLogger(__name__)


@retried_task
def send_contact_notification(message_id, admin_url):
    """Email the lab's address (Site settings) about a stored message, if one is set."""
    site = SiteSettings.load()
    message = ContactMessage.objects.filter(pk=message_id).first()
    if not site.email or message is None:  # no address, or deleted before we ran
        return
    subject = " ".join(f"[{site.name}] {message.subject or _('Contact form')}".split())
    body = (f"{message.name} <{message.email}> wrote:\n\n{message.message}\n\n"
            f"All messages: {admin_url}\n")  # fmt: skip
    try:
        EmailMessage(subject[:200], body, to=[site.email], reply_to=[message.email]).send()
    except Exception:
        logger.warning("Could not send the contact notification for message %s", message_id)
        raise


def check_links():
    """Check every external link of the content now; (checked, failing)."""
    urls = [url for url, _obj in content_health.external_links()]
    checks = linkcheck.check_urls(urls)
    return len(checks), sum(not check.ok for check in checks)


@retried_task
def check_external_links():
    """`check_links` on the worker (a failing link is a result, not a failure)."""
    return check_links()
