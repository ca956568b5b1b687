"""Shared view pieces: staff previews of drafts, health checks, error pages."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView


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
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without a request, so no context processor touches the database.
    return HttpResponseServerError(loader.get_template("500.html").render({}))
