"""Health endpoints for compose and monitoring.

`/healthz`: the process answers (no database). `/readyz`: the database answers a
query. Both are served by a middleware placed first, so they skip host checks, the
HTTPS redirect and the request log.
"""

from django.db import DatabaseError, connection
from django.http import JsonResponse

PATHS = {"/healthz", "/healthz/", "/readyz", "/readyz/"}


def healthz(request):
    return _no_store(JsonResponse({"status": "ok"}))


def readyz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # Drop the broken connection now, so the next probe reconnects.
        connection.close_if_unusable_or_obsolete()
        return _no_store(JsonResponse({"status": "unavailable", "database": "down"}, status=503))
    return _no_store(JsonResponse({"status": "ok", "database": "up"}))


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path in PATHS and request.method in ("GET", "HEAD"):
            return readyz(request) if request.path.startswith("/readyz") else healthz(request)
        return self.get_response(request)
