"""Full-page cache for anonymous visitors, keyed on a site-wide content version.

Any save, delete or many-to-many change of public content drops the version
record (`airml.signals`), so every cached page is stale at once (O(1)); the next
request makes a new record with a new token. The record lives in the default
cache, which with DJANGO_CACHE_DIR is a file cache shared by all gunicorn workers,
so an edit handled by one worker is seen by all of them on their next request.

Items scheduled for later (`publish_at` in the future) are visible without a save:
the record remembers the earliest such time (one query when the record is made)
and is dropped when that moment has passed.

`airml` imports no app: which apps hold public content is the setting
`CONTENT_CACHE_APPS`; publishable models are found by their fields.
"""

import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date

from airml.models import Status

VERSION_KEY = "airml:content-version"
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


def current_version():
    """The stored version record {"token", "time", "next"} if still valid, else None.

    No query: a missing or outdated record only means nothing cached is valid.
    """
    record = cache.get(VERSION_KEY)
    if record is None:
        return None
    if record["next"] is not None and record["next"] <= timezone.now().timestamp():
        return None  # a scheduled item has gone live since the record was made
    return record


def content_version(request=None):
    """The current version record; made if missing (one query for the schedule).

    Memoised on the request, so the page cache and the site context agree.
    """
    if request is not None and getattr(request, "_content_version", None):
        return request._content_version
    record = current_version()
    if record is None:
        now = timezone.now().timestamp()
        record = {"token": uuid.uuid4().hex, "time": now, "next": next_scheduled_time()}
        cache.set(VERSION_KEY, record, None)
    if request is not None:
        request._content_version = record
    return record


def bump_content_version():
    """Make every cached page and the cached site context stale."""
    cache.delete(VERSION_KEY)


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
    carries their headers and a hit costs two cache reads. Stored responses get an
    ETag (from their content), `Last-Modified` (the content version's time) and
    `Cache-Control: max-age=0`, so browsers revalidate and get 304s.
    """

    # A page stored under a version token never changes, so each process also keeps
    # the pages of the current token in memory: a hit then reads only the (small,
    # shared) version record. The memory is dropped whenever the token changes.
    LOCAL_ENTRIES = 200

    def __init__(self, get_response):
        self.get_response = get_response
        self.local = {}
        self.local_token = None

    def lookup(self, token, full_key):
        if token != self.local_token:
            self.local, self.local_token = {}, token
        stored = self.local.get(full_key)
        if stored is None:
            stored = cache.get(full_key)
            if stored is not None and len(self.local) < self.LOCAL_ENTRIES:
                self.local[full_key] = stored
        return stored

    def __call__(self, request):
        key = page_cache_key(request)
        if key is None:
            return self.get_response(request)
        version = request._content_version = current_version()
        if version is not None:
            stored = self.lookup(version["token"], f"{PAGE_KEY_PREFIX}:{version['token']}:{key}")
            if stored is not None:
                status, headers, content = stored
                response = HttpResponse(content, status=status, headers=headers)
                response["X-Page-Cache"] = "hit"
                return response
        response = self.get_response(request)
        if is_cacheable_response(request, response):
            # The version the page was rendered under (the site context made it if
            # it was missing), so a change during rendering leaves it unreachable.
            version = content_version(request)
            full_key = f"{PAGE_KEY_PREFIX}:{version['token']}:{key}"
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, max_age=0)
            response["Last-Modified"] = http_date(version["time"])
            set_response_etag(response)
            headers = dict(response.items())
            cache.set(
                full_key,
                (response.status_code, headers, response.content),
                settings.PAGE_CACHE_SECONDS,
            )
            response["X-Page-Cache"] = "miss"
        return response
