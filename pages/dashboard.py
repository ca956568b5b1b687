"""The admin index as an editors' dashboard, and the admin's branding.

`dashboard(request)` gives the index page what needs attention: drafts and
scheduled items (with their times) of every public type the user may change, the
latest changes from the admin history, unread contact messages, the number of
content-health warnings (cached for a few minutes, as the full check is not free)
and quick actions. One query per public type plus a fixed few; pinned by a test.
"""

from django.contrib.admin.models import LogEntry
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from airml.admin import publishing_state
from airml.roles import is_member_only
from pages import content_health
from pages.context_processors import site_data
from pages.models import ContactMessage
from research.inbox import InboxItem

HEALTH_KEY = "pages:content-health-count"
HEALTH_SECONDS = 300
PENDING_PER_TYPE = 10


def branding(request):
    settings = site_data()["site"]
    return {"name": settings.name, "logo_url": settings.logo.url if settings.logo else ""}


def pending_items(request, site):
    """Drafts and scheduled items of each public type, newest change first."""
    now = timezone.now()
    drafts, scheduled = [], []
    for model in content_health.PUBLIC_MODELS:
        model_admin = site._registry.get(model)
        if model_admin is None or not model_admin.has_view_or_change_permission(request):
            continue
        waiting = Q(status="draft") | Q(status="published", publish_at__gt=now)
        rows = model_admin.get_queryset(request).filter(waiting).order_by("-modified")
        for obj in rows[:PENDING_PER_TYPE]:
            item = {
                "obj": obj,
                "type": model._meta.verbose_name,
                "state": publishing_state(obj, now),
                "url": content_health.change_url(obj),
                "modified": obj.modified,
                "publish_at": obj.publish_at,
            }
            (drafts if obj.status == "draft" else scheduled).append(item)
    drafts.sort(key=lambda item: item["modified"], reverse=True)
    scheduled.sort(key=lambda item: item["publish_at"])
    return drafts, scheduled


def health_count():
    count = cache.get(HEALTH_KEY)
    if count is None:
        count = content_health.warning_count()
        cache.set(HEALTH_KEY, count, HEALTH_SECONDS)
    return count


def quick_actions(request):
    actions = [
        (_("Add news"), "admin:news_newsitem_add", "news.add_newsitem"),
        (_("Add a publication"), "admin:research_publication_add", "research.add_publication"),
        (_("Import BibTeX"), "admin:research_publication_import_bibtex",
         "research.add_publication"),
        (_("Add by DOI or arXiv id"), "admin:research_publication_add_by_identifier",
         "research.add_publication"),
        (_("Add a page"), "admin:pages_page_add", "pages.add_page"),
    ]  # fmt: skip
    member = is_member_only(request.user)
    return [
        {"label": label, "url": reverse(name)}
        for label, name, perm in actions
        if request.user.has_perm(perm)
        and not (member and ("bibtex" in name or "identifier" in name))
    ]


def dashboard(request):
    from django.contrib import admin

    drafts, scheduled = pending_items(request, admin.site)
    context = {"drafts": drafts, "scheduled": scheduled,
               "quick_actions": quick_actions(request)}  # fmt: skip
    if not is_member_only(request.user):
        context["latest_changes"] = list(
            LogEntry.objects.select_related("user", "content_type").order_by("-action_time")[:10]
        )
    if request.user.has_perm("pages.view_contactmessage"):
        unread = ContactMessage.objects.filter(is_read=False)
        context["unread_messages"] = list(unread.order_by("-created")[:5])
        context["unread_count"] = unread.count()
    if request.user.has_perm("research.view_inboxitem"):  # a member: their own items
        context["inbox_count"] = InboxItem.objects.pending().for_user(request.user).count()
        context["inbox_url"] = reverse("admin:research_inboxitem_changelist") + "?status=pending"
    if not is_member_only(request.user):
        context["health_count"] = health_count()
        context["health_url"] = reverse("admin:content_health")
    return context


def content_health_view(request):
    """The content-health page: every problem, each linking to the form that fixes it."""
    from django.contrib import admin

    if is_member_only(request.user):
        raise PermissionDenied
    found = content_health.report()
    groups = [{"key": key, "title": title, "problems": found[key]}
              for key, title in content_health.CHECKS.items()]  # fmt: skip
    context = {**admin.site.each_context(request), "title": _("Content health"),
               "groups": groups, "total": sum(len(g["problems"]) for g in groups)}  # fmt: skip
    cache.set(HEALTH_KEY, context["total"], HEALTH_SECONDS)
    return TemplateResponse(request, "admin/airml/content_health.html", context)
