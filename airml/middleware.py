"""Site-wide middleware: request logs, proxy headers, extra security headers, and the
friendly 503 page while the database is unreachable."""

import logging
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

from airml.net import client_ip, is_trusted_proxy

request_log = logging.getLogger("airml.request")
outage_log = logging.getLogger("airml.outage")

RETRY_AFTER_SECONDS = 30
DATABASE_DOWN_ERRORS = (OperationalError, InterfaceError)


class RequestLogMiddleware:
    """One structured line per request: method, path, status, duration, client."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - start) * 1000, 1)
        request_log.info(
            "%s %s %s %.1fms",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "client_ip": client_ip(request),
            },
        )
        return response


class ProxyHeadersMiddleware:
    """Drops X-Forwarded-For/-Proto unless the peer is a trusted proxy.

    With that, SECURE_PROXY_SSL_HEADER cannot be spoofed by a client that reaches
    gunicorn directly.
    """

    HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR")):
            for header in self.HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def is_database_down(exc):
    return isinstance(exc, DATABASE_DOWN_ERRORS) or (
        isinstance(exc, DatabaseError) and isinstance(exc.__cause__, DATABASE_DOWN_ERRORS)
    )


def database_unavailable_response():
    """The static 503 page: no request, so no context processor touches the database."""
    html = loader.get_template("503.html").render({})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns "cannot reach the database" in a view into the 503 page with Retry-After.

    Errors raised by other middleware end in `airml.views.server_error`, which
    answers the same page for the same errors.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_down(exception):
            return None
        outage_log.warning(
            "database unavailable: %s",
            str(exception).strip().splitlines()[0] if str(exception).strip() else "",
            extra={"path": request.path, "error": type(exception).__name__},
        )
        return database_unavailable_response()
