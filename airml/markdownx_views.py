"""django-markdownx's preview and upload endpoints, behind staff-only access.

The shipped views accept anonymous users; here both answer 403 to anyone who
is not signed-in staff, preview through our sanitising pipeline, and uploads go
through `airml.images` (JPEG/PNG/WebP only, re-encoded, random names). A storage
error (disk full, read-only media) is answered with its reason, nothing stored.
"""

import functools
import logging

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden, JsonResponse
from django.views.decorators.http import require_POST

from airml.images import clean_upload
from airml.markdown import render_markdown
from airml.storage import storage_error_message

logger = logging.getLogger(__name__)
UPLOAD_DIR = "markdown/"


def staff_only(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_active
                and request.user.is_staff):  # fmt: skip
            return HttpResponseForbidden("Staff only.")
        return view(request, *args, **kwargs)

    return wrapper


@require_POST
@staff_only
def markdownify(request):
    if "content" not in request.POST:
        return HttpResponseBadRequest("Missing 'content'.")
    return HttpResponse(render_markdown(request.POST["content"]))


@require_POST
@staff_only
def upload(request):
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"image": ["No image was sent."]}, status=400)
    try:
        cleaned = clean_upload(upload)
    except ValidationError as exc:
        return JsonResponse({"image": exc.messages}, status=400)
    try:
        name = default_storage.save(UPLOAD_DIR + cleaned.name, cleaned)
    except OSError as exc:
        logger.warning("Markdown image not stored: %s", exc)
        return JsonResponse({"image": [str(storage_error_message(exc))]}, status=507)
    return JsonResponse({"image_code": f"![]({default_storage.url(name)})"})
