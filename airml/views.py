"""Shared view pieces: staff previews of drafts, uploaded media, error pages."""

import sys

from django.conf import settings
from django.http import HttpResponseNotFound, HttpResponseServerError
from django.template import loader
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views import static
from django.views.generic import DetailView

from airml.middleware import database_unavailable_response, is_database_down


class PublishedDetailView(DetailView):
    """Detail of a published item; staff also see drafts, marked as a preview.

    Subclasses set `queryset_method` to the model's named page query
    (e.g. "for_detail"). Responses to staff are never cached.
    """

    queryset_method = None

    def get_queryset(self):
        qs = self.model.objects.visible_to(self.request.user)
        if self.queryset_method:
            qs = getattr(qs, self.queryset_method)()
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = not self.object.is_public
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.request.user.is_staff:
            add_never_cache_headers(response)
        return response


def page_not_found(request, exception=None):
    # Without the request's context processors: no database query, so a 404 stays a
    # 404 while the database is away (and costs nothing for crawlers' guesses).
    html = loader.get_template("404.html").render({"path": request.path})
    return HttpResponseNotFound(html)


def server_error(request):
    # Rendered without a request, so no context processor touches the database.
    # Called while the exception is being handled: a database outage raised outside
    # a view (sessions, auth) still gets the 503 page, not a 500.
    if is_database_down(sys.exc_info()[1]):
        return database_unavailable_response()
    return HttpResponseServerError(loader.get_template("500.html").render({}))


def serve_media(request, path):
    """An uploaded file, which can never run as a page.

    `nosniff` stops browsers guessing a script or HTML type, and `sandbox` puts
    a file opened directly into a unique origin with scripts, forms and plugins
    off. Used when DJANGO_SERVE_MEDIA is on; the compose proxy sends the same headers.
    """
    response = static.serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    patch_cache_control(response, public=True, max_age=settings.MEDIA_MAX_AGE)
    return response
