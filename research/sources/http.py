"""The one HTTP client of the metadata sources: timeouts, retries, manners.

`requests` with urllib3's `Retry`: a 429 or 503 is retried with exponential backoff,
and a `Retry-After` header (seconds or a date) is honoured instead of the backoff.
A source that asks for a pause between requests (arXiv: one per three seconds) gets
it from `Client(min_interval=...)`. Every failure, and every answer that is not what
the source promises, raises `SourceError` with a message for the editor.
"""

import json
import threading
import time

import requests
from django.conf import settings
from django.core.cache import cache
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

USER_AGENT = "AIR-ML-Lab-portal/1.0 (lab publications; +https://github.com/)"
RETRY_STATUSES = (429, 500, 502, 503, 504)
BACKOFF = 1.0  # seconds; doubled at each retry (urllib3), capped at a minute


class SourceError(Exception):
    """A source failed or answered something unusable; nothing was written."""

    def __init__(self, source, message, status=None):
        super().__init__(f"{source}: {message}")
        self.source, self.message, self.status = source, message, status


class NotFound(SourceError):
    """The source does not know this identifier (404, or an empty answer)."""


def make_retry(total=3, backoff=None):
    # respect_retry_after_header is on by default and covers 413, 429 and 503.
    backoff = BACKOFF if backoff is None else backoff
    return Retry(
        total=total, connect=total, read=total, status=total, backoff_factor=backoff,
        backoff_max=60, status_forcelist=RETRY_STATUSES, allowed_methods=["GET", "HEAD"],
        respect_retry_after_header=True, raise_on_status=False,
    )  # fmt: skip


class Client:
    """A session per source; `get_json`/`get_text` return the body or raise SourceError."""

    def __init__(self, source, *, min_interval=0.0, retry=None, timeout=None):
        self.source = source
        self.min_interval = min_interval
        self.timeout = timeout or settings.SOURCES_TIMEOUT
        self.session = requests.Session()
        adapter = HTTPAdapter(max_retries=retry or make_retry())
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        contact = settings.SOURCES_CONTACT_EMAIL
        agent = f"{USER_AGENT} mailto:{contact}" if contact else USER_AGENT
        self.session.headers["User-Agent"] = agent
        self._lock = threading.Lock()

    def _wait_turn(self):
        # The last request's time is in the shared cache: the pause holds across the
        # web and worker processes (best effort: two may start within the same instant).
        if not self.min_interval:
            return
        key = f"sources:last-request:{self.source}"
        with self._lock:
            last = cache.get(key, 0.0)
            pause = last + self.min_interval - time.time()
            if pause > 0:
                time.sleep(min(pause, self.min_interval))
            cache.set(key, time.time(), timeout=60)

    def get(self, url, *, params=None, headers=None, not_found=(404,), allow=()):
        self._wait_turn()
        try:
            response = self.session.get(url, params=params, headers=headers, timeout=self.timeout)
        except requests.exceptions.RetryError as exc:
            raise SourceError(self.source, f"still refusing after retries ({exc})") from exc
        except requests.RequestException as exc:
            detail = (str(exc).splitlines() or [type(exc).__name__])[0][:200]
            raise SourceError(self.source, f"could not be reached ({detail})") from exc
        if response.status_code in not_found:
            raise NotFound(self.source, f"not found ({response.status_code})", 404)
        if response.status_code >= 400 and response.status_code not in allow:
            raise SourceError(
                self.source,
                f"answered {response.status_code}: {response.text[:200].strip()}",
                response.status_code,
            )
        return response

    def get_json(self, url, **kwargs):
        response = self.get(url, **kwargs)
        try:
            return response.json()
        except (ValueError, json.JSONDecodeError) as exc:
            raise SourceError(self.source, "answered something that is not JSON") from exc

    def get_text(self, url, **kwargs):
        return self.get(url, **kwargs).text
