"""Full-page cache for anonymous visitors, keyed on a site-wide content version.

Any save, delete or many-to-many change of public content drops the version
record (`airml.signals`), so every cached page is stale at once (O(1)); the next
request makes a new record with a new token. Everything lives in Django's default
cache (Redis in production, shared by all workers and servers), so an edit handled
by one worker is seen by all of them on their next request.

A cached value is stored with the token it was made under, under a key without it
(`versioned_get`), so a hit reads the version and the value in one round trip. With
Redis, each worker also keeps copies of the pages it served (`LocalCopies`), which
Redis's publish/subscribe tells it to drop, so most hits need no round trip at all.

Items scheduled for later (`publish_at` in the future) are visible without a save:
the record remembers the earliest such time (one query when the record is made)
and is replaced when that moment has passed.

`airml` imports no app: which apps hold public content is the setting
`CONTENT_CACHE_APPS`; publishable models are found by their fields.
"""

import os
import threading
import time
import uuid
from contextlib import contextmanager

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.db import DatabaseError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date
from redis.exceptions import RedisError

from airml.models import Status

VERSION_KEY = "airml:content-version"
# Every drop of the version (and every clear of the cache) is announced here.
CHANGES_CHANNEL = "airml:content-changed"
PAGE_KEY_PREFIX = "airml:page"
# Query parameters a cached page may have (pagination, search, publication filters);
# any other parameter makes the request bypass the cache.
CACHEABLE_PARAMS = {"page", "q", "year", "type", "direction", "person", "tag", "featured"}
MAX_CACHEABLE_QUERY = 300


def publishable_models():
    labels = set(settings.CONTENT_CACHE_APPS)
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in labels
        and {"status", "publish_at"} <= {f.name for f in model._meta.concrete_fields}
    ]


def next_scheduled_time():
    """The earliest future `publish_at` of a published item, as a timestamp, or None."""
    now = timezone.now()
    querysets = [
        model._default_manager.filter(status=Status.PUBLISHED, publish_at__gt=now)
        .order_by()
        .values_list("publish_at", flat=True)
        for model in publishable_models()
    ]
    if not querysets:
        return None
    first, *rest = querysets
    combined = first.union(*rest, all=True) if rest else first
    earliest = combined.order_by("publish_at").first()
    return earliest.timestamp() if earliest else None


def _valid(record):
    if record is None:
        return None
    if record["next"] is not None and record["next"] <= timezone.now().timestamp():
        return None  # a scheduled item has gone live since the record was made
    return record


def _new_version(expired=False):
    """Store a new version record (one query for the schedule) and return the one stored.

    `expired`: the record there is past its `next` time; it goes first, or `add`
    would keep failing and no page be cached until the next edit."""
    if expired:
        cache.delete(VERSION_KEY)
    now = timezone.now().timestamp()
    record = {"token": uuid.uuid4().hex, "time": now, "next": next_scheduled_time()}
    if cache.add(VERSION_KEY, record, None):
        return record
    # Another process made one meanwhile; take it, so both store under one token.
    return _valid(cache.get(VERSION_KEY)) or record


def content_version():
    """The current version record {"token", "time", "next"}; made if missing."""
    record = cache.get(VERSION_KEY)
    return _valid(record) or _new_version(expired=record is not None)


def versioned_get(key):
    """(the value stored at `key` under the current version or None, the version).

    One cache round trip when the version exists.
    """
    found = cache.get_many([VERSION_KEY, key])
    version = _valid(found.get(VERSION_KEY))
    if version is None:
        return None, _new_version(expired=VERSION_KEY in found)
    token, value = found.get(key, (None, None))
    return (value if token == version["token"] else None), version


def versioned_set(key, version, value, timeout):
    cache.set(key, (version["token"], value), timeout)


_held = threading.local()


def bump_content_version():
    """Make every cached page and the cached site context stale."""
    if getattr(_held, "depth", 0):
        _held.pending = True
        return
    announce = getattr(cache, "delete_and_announce", None)
    if announce is None:
        cache.delete(VERSION_KEY)  # local memory: one process, and no copies
    else:
        announce(VERSION_KEY)  # and every worker's own copies go


@contextmanager
def one_bump():
    """Inside the block, drops of the version wait and happen once, when it ends: an
    import saves hundreds of objects (each a cache round trip, and another at commit).
    Put the block around the transaction, so that its end comes after the commit."""
    _held.depth = getattr(_held, "depth", 0) + 1
    try:
        yield
    finally:
        _held.depth -= 1
        if not _held.depth and getattr(_held, "pending", False):
            _held.pending = False
            bump_content_version()


class LocalCopies:
    """This worker's own copies of the pages it served from Redis, so that a hit needs
    no round trip: 2.7x faster in process (a cached home page 212 -> 79 µs,
    publications 3.3x), 1.3-1.4x the requests/s under wrk, where gunicorn's own work
    per request is most of the rest (`bench/site.py`, docs/benchmarks.md).

    How they stay right on every server:
    - every drop of the version is published on CHANGES_CHANNEL in the same
      transaction (`delete_and_announce`, both or neither); before each lookup the
      worker reads what its subscription has received without waiting (one poll of
      a socket), and any message throws every copy away;
    - copies are taken only once Redis has confirmed the subscription, so every later
      drop reaches this worker; Redis writes the message out as it answers the
      publisher, so it is here before the editor's next request can be
      (tests/airml/test_several_servers.py);
    - a broken subscription throws them away too, and a Redis cut off without the
      socket knowing is caught by a ping (four a second at most): copies are used only
      while a ping sent within HEARD_WITHIN seconds has been answered, which tells
      that every message sent before it has been read.

    Without a cache that can publish (development's local-memory cache), or with
    Redis away, nothing is kept here.
    """

    MAX_PAGES = 200
    MAX_BYTES = 16 * 1024 * 1024  # of page content; past either bound, all go
    PING_EVERY = 0.25
    HEARD_WITHIN = 1.0
    RETRY_AFTER = 1.0  # seconds between attempts to subscribe again
    _SUBSCRIBE = "subscribe"  # _listening's answer: not yet, and this thread subscribes

    def __init__(self):
        self._lock = threading.Lock()
        self._pid = None
        self._servers = None
        self._subscription = None
        self._subscribing = False  # a thread is subscribing, without the lock
        self._retry_at = 0.0
        self._confirmed = False
        self._heard = 0.0  # when Redis was last known to have sent us everything
        self._asked = None  # when the ping (or subscription) Redis has not answered was sent
        self.generation = 0
        self._version = None
        self._pages = {}
        self._bytes = 0

    def clear(self):
        with self._lock:
            self._drop()

    def _drop(self):
        self.generation += 1
        self._version = None
        self._pages = {}
        self._bytes = 0

    def _close(self):
        self._drop()
        subscription, self._subscription, self._confirmed = self._subscription, None, False
        if subscription is not None:
            self._close_quietly(subscription)

    @staticmethod
    def _close_quietly(subscription):
        try:
            subscription.close()
            subscription.connection_pool.disconnect()
        except Exception:  # noqa: BLE001, S110 - it is being thrown away
            pass

    def _listening(self, now):
        """Whether copies can be trusted now; reads what the subscription received."""
        backend = caches["default"]
        servers = getattr(backend, "_servers", None)
        if self._pid != os.getpid() or self._servers != servers:
            # A forked worker (its parent's socket is not its own: left unclosed) or
            # other settings: start again with nothing.
            self._drop()
            self._subscription, self._confirmed, self._subscribing = None, False, False
            self._pid, self._servers, self._retry_at = os.getpid(), servers, 0.0
        if self._subscription is None:
            if hasattr(backend, "subscribe") and not self._subscribing and now >= self._retry_at:
                self._subscribing, self._retry_at = True, now + self.RETRY_AFTER
                return self._SUBSCRIBE
            return False
        try:
            while (message := self._subscription.get_message(timeout=0)) is not None:
                if message["type"] in ("subscribe", "pong") and self._asked is not None:
                    # Redis answered: whatever it published before then has been read.
                    self._heard, self._asked = self._asked, None
                if message["type"] == "subscribe":
                    self._confirmed = True
                if message["type"] != "pong":
                    self._drop()  # a change, or subscribed again: something may be missed
            if self._asked is None and now - self._heard >= self.PING_EVERY:
                self._asked = now
                self._subscription.ping()
        except (RedisError, OSError):
            self._close()
            return False
        if self._asked is not None and now - self._asked > 10 * self.HEARD_WITHIN:
            self._close()  # a connection that went silent for good: subscribe anew
            return False
        return self._confirmed and now - self._heard <= self.HEARD_WITHIN

    def _subscribe(self, now):
        """Subscribe without holding the lock (a connect may wait for its timeout, and
        the other threads go on meanwhile); keep the subscription if nothing changed."""
        backend = caches["default"]
        try:
            subscription = backend.subscribe(CHANGES_CHANNEL)
        except (RedisError, OSError):
            subscription = None
        with self._lock:
            self._subscribing = False
            if subscription is None:
                return
            stale = self._pid != os.getpid() or self._servers != backend._servers
            if self._subscription is not None or stale:
                self._close_quietly(subscription)
                return
            self._drop()
            self._subscription, self._confirmed = subscription, False
            self._asked = now  # the subscription counts as a ping

    def get(self, key):
        """(the copy of the page at `key` or None, the generation to pass to `put`)."""
        now = time.monotonic()
        with self._lock:
            listening = self._listening(now)
            if listening is True:
                if self._version is not None and _valid(self._version) is None:
                    self._drop()
                stored, expires = self._pages.get(key, (None, 0))
                return (stored if expires > time.time() else None), self.generation
        if listening is self._SUBSCRIBE:
            self._subscribe(now)
        return None, None

    def put(self, generation, key, version, stored):
        """Keep `stored`, read after `get` returned `generation`, unless dropped since."""
        with self._lock:
            if generation != self.generation:
                return
            if self._version is None or self._version["token"] != version["token"]:
                self._drop()
                self._version = version
            size = len(stored[2])
            if size > self.MAX_BYTES:
                return
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= len(old[0][2])
            if len(self._pages) >= self.MAX_PAGES or self._bytes + size > self.MAX_BYTES:
                self._pages, self._bytes = {}, 0
            # A copy lives as long as its page does in Redis: PAGE_CACHE_SECONDS from
            # when the page was made (stored[3]; pages cached by older code lack it).
            made = stored[3] if len(stored) > 3 else time.time()
            self._pages[key] = (stored, made + settings.PAGE_CACHE_SECONDS)
            self._bytes += size


local_copies = LocalCopies()


def _bypass_prefixes():
    prefixes = ["/" + settings.ADMIN_URL, settings.STATIC_URL, settings.MEDIA_URL, "/markdownx/"]
    return tuple(p for p in prefixes if p)


def page_cache_key(request):
    """The cache key of this request's page (without the version), or None: not cacheable."""
    if request.method not in ("GET", "HEAD") or not settings.PAGE_CACHE_SECONDS:
        return None
    if request.path.startswith(_bypass_prefixes()):
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return None  # signed in (staff previews) or a message waiting to be shown
    if "HTTP_AUTHORIZATION" in request.META:
        return None
    query = request.META.get("QUERY_STRING", "")
    if query and (len(query) > MAX_CACHEABLE_QUERY or not set(request.GET) <= CACHEABLE_PARAMS):
        return None
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():
        return None  # SecurityMiddleware redirects it
    # get_host() validates the Host header against ALLOWED_HOSTS (400 otherwise).
    scheme = "https" if request.is_secure() else "http"
    return f"{scheme}://{request.get_host()}{request.get_full_path()}"


def is_cacheable_response(request, response):
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if "private" in cache_control or "no-store" in cache_control or "no-cache" in cache_control:
        return False
    # Pages say `Vary: Cookie` because they check whether the visitor is staff; only
    # requests without a session cookie get here, and they all see the same page.
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class PageCacheMiddleware:
    """Serves anonymous GET/HEAD requests from the full-page cache.

    Placed before the security and CSP middleware, so a stored response already
    carries their headers and a hit costs one cache round trip. Stored responses get
    an ETag (from their content), `Last-Modified` (the content version's time) and
    `Cache-Control: max-age=0`, so browsers revalidate and get 304s.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = page_cache_key(request)
        if key is None:
            return self.get_response(request)
        key = f"{PAGE_KEY_PREFIX}:{key}"
        stored, generation = local_copies.get(key)
        if stored is None:
            try:
                stored, version = versioned_get(key)
            except DatabaseError:
                # A new version needs the schedule query; with the database down the
                # view below answers 503 (airml.middleware), uncached.
                return self.get_response(request)
            if stored is not None and generation is not None:
                local_copies.put(generation, key, version, stored)
        if stored is not None:
            status, headers, content = stored[:3]
            response = HttpResponse(content, status=status, headers=headers)
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if is_cacheable_response(request, response):
            # Stored under the version read before rendering: if anything changed
            # meanwhile, that version is gone and this page is never served.
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, max_age=0)
            response["Last-Modified"] = http_date(version["time"])
            set_response_etag(response)
            value = (response.status_code, dict(response.items()), response.content, time.time())
            versioned_set(key, version, value, settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response
