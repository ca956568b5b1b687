"""Checking external links, outside any request; results go to `airml.LinkCheck`.

`check_urls(urls)` asks each URL once (HEAD, then GET when a server refuses HEAD)
with a short timeout and stores the status or the error. Run by `manage.py
check_content --links` (a cron job or the worker), never by a page view.
"""

import urllib.error
import urllib.request

from django.utils import timezone

from airml.models import LinkCheck

TIMEOUT = 10
USER_AGENT = "AIR-ML lab website link checker"


def fetch_status(url, timeout=TIMEOUT):
    """(status, error) for one URL; a network failure is an error, not an exception."""
    if not url.startswith(("http://", "https://")):
        return None, "not a web link"
    opener = urllib.request.build_opener()
    for method in ("HEAD", "GET"):
        headers = {"User-Agent": USER_AGENT}
        request = urllib.request.Request(url, method=method, headers=headers)  # noqa: S310 - http(s) only
        try:
            with opener.open(request, timeout=timeout) as response:
                return response.status, ""
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in (403, 405, 501):
                continue
            return exc.code, ""
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            return None, str(reason)[:300] or exc.__class__.__name__
    return None, "no answer"


def check_urls(urls, fetch=None):
    """Check each distinct URL and store the result; returns the LinkCheck rows."""
    fetch = fetch or fetch_status
    results = []
    for url in dict.fromkeys(urls):
        status, error = fetch(url)
        check, _created = LinkCheck.objects.update_or_create(
            url=url[:500],
            defaults={"status": status, "error": error, "checked_at": timezone.now()},
        )
        results.append(check)
    return results
