"""Home page, Pages by slug (with their collection listings and contact form),
and robots.txt."""

import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext_lazy as _

from airml.models import ListingView
from airml.net import client_ip
from pages.forms import ContactForm
from pages.models import (
    DEFAULT_PAGES,
    Collection,
    Page,
    Section,
    collection_items,
    collection_queryset,
)
from pages.tasks import send_contact_notification
from people.models import Group, Person, people_page_groups
from research.filters import PublicationFilters, select_rows

logger = logging.getLogger(__name__)

PER_PAGE = 50
# Contact form: at most this many stored messages per client address per window.
CONTACT_RATE_LIMIT = 5
CONTACT_RATE_WINDOW = 3600  # seconds
# A contact POST larger than this is refused before its form is read (the message
# itself may have 5,000 characters: up to 20 KB of UTF-8, form-encoded up to 60 KB).
CONTACT_MAX_BODY = 64 * 1024  # bytes
CONTACT_TOO_LARGE = _("This message is too long to send. Please shorten it.")
CONTACT_RATE_LIMITED = _(
    "You have sent several messages in the last hour. Please try again later or write "
    "to us by email."
)


def find_page(request, slug):
    """The Page with this slug that the visitor may see, or None (slugs are unique)."""
    found = list(Page.objects.visible_to(request.user).for_detail().filter(slug=slug)[:1])
    return found[0] if found else None


def get_page(request, slug):
    page = find_page(request, slug)
    if page is None and slug in DEFAULT_PAGES:
        title, collection, view = DEFAULT_PAGES[slug]
        page = Page(slug=slug, title=title, collection=collection, view=view)
    if page is None:
        raise Http404(_("No page here."))
    return page


def people_roster(group=None):
    """The grouped people list with the generated alumni part (four queries)."""
    groups = list(Group.objects.all()) if group is None else [group]
    people = Person.objects.published().listed().for_listing()
    if group is not None:
        people = people.current().filter(groups=group)
    rows, alumni_rows = people_page_groups(people, groups)
    return {"rows": rows, "alumni_rows": alumni_rows if group is None else []}


def contact_sections(page):
    if not page.pk:
        return []
    return [s for s in page.sections.all() if s.kind == Section.Kind.CONTACT]


def prepare_sections(page, contact_form=None):
    sections = list(page.sections.all()) if page.pk else []
    form_given = False
    for section in sections:
        if section.kind == Section.Kind.COLLECTION:
            section.items = collection_items(section)
        elif section.kind == Section.Kind.PEOPLE:
            section.roster = people_roster(section.group)
        elif section.kind == Section.Kind.CONTACT and not form_given:
            section.form = contact_form or ContactForm()  # one form per page
            form_given = True
    return sections


def render_page(request, page, template="pages/page_detail.html", contact_form=None, status=200):
    sections = prepare_sections(page, contact_form)
    context = {"page": page, "sections": sections, "is_preview": False,
               "contact_sent": request.method == "GET" and "sent" in request.GET}  # fmt: skip
    if page.pk:
        context["is_preview"] = not page.is_public
    if page.collection == Collection.PEOPLE:
        context["roster"] = people_roster(page.group)
    elif page.collection and page.count:
        context["items"] = collection_items(page)
    elif page.collection:
        queryset = collection_queryset(page)
        if page.collection == Collection.PUBLICATIONS:
            filters = PublicationFilters(request.GET)
            context["filters"] = filters
            context["facets"] = facets = filters.facets(queryset.prefetch_related(None))
            context["filter_selects"] = select_rows(facets)
            queryset = filters.apply(queryset)
        paginator = Paginator(queryset, PER_PAGE)
        page_obj = paginator.get_page(request.GET.get("page"))
        context["items"] = list(page_obj.object_list)
        context["page_obj"] = page_obj
    response = render(request, template, context, status=status)
    if request.user.is_staff:
        add_never_cache_headers(response)
    elif any(hasattr(section, "form") for section in sections):
        # The form carries this visitor's CSRF token: no shared cache may keep it.
        patch_cache_control(response, private=True)
    return response


def allow_contact_message(request):
    """Count one message for the client's address.

    Returns 0 while under the limit, else the seconds until the window ends (for
    Retry-After). The window starts with the first message from that address.
    """
    key = f"pages:contact-rate:{client_ip(request)}"
    now = time.time()
    cache.add(f"{key}:start", now, CONTACT_RATE_WINDOW)
    cache.add(key, 0, CONTACT_RATE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, CONTACT_RATE_WINDOW)
        count = 1
    if count <= CONTACT_RATE_LIMIT:
        return 0
    start = cache.get(f"{key}:start", now)
    return max(1, math.ceil(start + CONTACT_RATE_WINDOW - now))


def contact_body_too_large(request):
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return length > CONTACT_MAX_BODY


def contact_submit(request, page):
    """A POST of the contact form on a page with a contact section.

    Valid: stored, notified, then a redirect to the page with a thank-you note.
    Invalid or over the rate limit: the page again, with the visitor's input and
    the errors. Filled honeypot: the same redirect as success, nothing stored.
    """
    if not contact_sections(page):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if contact_body_too_large(request):
        # Short and plain: the oversized input is neither read nor echoed back.
        return HttpResponse(CONTACT_TOO_LARGE, status=413, content_type="text/plain; charset=utf-8")
    done = redirect(f"{page.get_absolute_url()}?sent=1#contact")
    form = ContactForm(request.POST)
    if form.is_spam:
        logger.info("Contact form honeypot filled; message dropped")
        return done
    if form.is_valid():
        retry_after = allow_contact_message(request)
        if not retry_after:
            message = form.save(commit=False)
            message.page = page
            message.save()
            # Mailed by the worker: a slow mail server never holds the visitor's request.
            admin_url = request.build_absolute_uri(f"/{settings.ADMIN_URL}pages/contactmessage/")
            send_contact_notification.enqueue(message.pk, admin_url)
            return done
        form.add_error(None, CONTACT_RATE_LIMITED)
        response = render_page(request, page, template_for(page), contact_form=form, status=429)
        response["Retry-After"] = str(retry_after)
        return response
    return render_page(request, page, template_for(page), contact_form=form)


def template_for(page):
    return "pages/home.html" if page.slug == "home" else "pages/page_detail.html"


def home(request):
    page = find_page(request, "home")
    if page is None:
        page = Page(slug="home", title="", collection=Collection.NEWS, view=ListingView.NEWS,
                    count=5)  # fmt: skip
    if request.method == "POST":
        return contact_submit(request, page)
    return render_page(request, page, template=template_for(page))


def page_detail(request, slug):
    page = get_page(request, slug)
    if request.method == "POST":
        return contact_submit(request, page)
    return render_page(request, page)


def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_URL}",
        f"Disallow: {reverse('search:search')}",
        "Disallow: /markdownx/",
        f"Sitemap: {request.build_absolute_uri(reverse('pages:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
