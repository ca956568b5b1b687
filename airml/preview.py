"""Live preview: the public page as visitors would see it, with the form's unsaved
changes, and nothing saved.

The change form's Preview button posts the form (fields and inlines) to
`<object>/preview/` (or `add/preview/`). The view validates it like a save, saves
the object and its inlines with the admin's own save path inside a transaction,
renders the public view for the object's URL as the editor (staff see drafts and
scheduled items), and rolls the transaction back. The answer is never cached
(`Cache-Control: no-store`) and not indexed. New file uploads are not previewed (a
rolled-back save cannot take back a stored file): the saved image is shown.
"""

import copy

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms.formsets import all_valid
from django.http import Http404, HttpResponse, QueryDict
from django.template.response import TemplateResponse
from django.urls import resolve
from django.utils.cache import add_never_cache_headers
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext


class _Rollback(Exception):  # noqa: N818 - not an error: carries the rendered answer out
    def __init__(self, response):
        super().__init__()
        self.response = response


def _as_get(request, path, match):
    public = copy.copy(request)
    public.method = "GET"
    public.path = public.path_info = path
    public.GET = QueryDict()
    public._post, public._files = QueryDict(), MultiValueDict()
    public.resolver_match = match
    public.META = {**request.META, "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": ""}
    return public


class PreviewMixin:
    """For ModelAdmins of models with `get_absolute_url`."""

    def has_preview(self):
        return hasattr(self.model, "get_absolute_url")

    def preview_view(self, request, object_id=None):
        if request.method != "POST":
            raise Http404
        obj = None
        if object_id is not None:
            obj = self.get_object(request, unquote(object_id))
            if obj is None:
                raise Http404
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
        elif not self.has_add_permission(request):
            raise PermissionDenied
        try:
            with transaction.atomic():
                response = self._render_preview(request, obj)
                raise _Rollback(response)
        except _Rollback as done:
            response = done.response
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex"
        return response

    def _render_preview(self, request, obj):
        change = obj is not None
        request.POST  # noqa: B018 - parse the body once, before copying the request
        request = copy.copy(request)
        request._files = MultiValueDict()  # uploads are not previewed (see above)
        form_class = self.get_form(request, obj, change=change)
        form = form_class(request.POST, MultiValueDict(), instance=obj)
        formsets, _inlines = self._create_formsets(request, form.instance, change=change)
        if not (form.is_valid() and all_valid(formsets)):
            errors = [*form.non_field_errors(), *[
                f"{form.fields[name].label if name in form.fields else name}: {' '.join(e)}"
                for name, e in form.errors.items() if name != "__all__"]]  # fmt: skip
            for formset in formsets:
                errors += [str(e) for e in formset.non_form_errors()]
                errors += [f"{formset.prefix}: {e}" for e in formset.errors if e]
            title = gettext("Nothing to preview yet")
            context = {**self.admin_site.each_context(request), "errors": errors,
                       "title": title, "opts": self.model._meta}  # fmt: skip
            response = TemplateResponse(request, "admin/airml/preview_errors.html", context)
            return HttpResponse(response.render().content, status=200)
        new_object = self.save_form(request, form, change=change)
        self.save_model(request, new_object, form, change)
        self.save_related(request, form, formsets, change)
        path = new_object.get_absolute_url()
        match = resolve(path)
        public = match.func(_as_get(request, path, match), *match.args, **match.kwargs)
        if hasattr(public, "render"):
            public.render()
        response = HttpResponse(public.content, status=public.status_code,
                                content_type=public.get("Content-Type"))  # fmt: skip
        return response
