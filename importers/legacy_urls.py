"""Old Hugo URLs answered by Hugo's rules, not by thousands of stored redirects.

An imported Hugo site's build had, besides its content pages (stored as redirects
by the importer, editable in the admin), URLs Hugo derives from rules: taxonomy
pages (`/tag/<t>/`, `/tags/`, `/category/<c>/`, `/author/<name>/`,
`/publication-type/<n>/`), every list's pagination (`…/page/N/`, and `/page/1/`
as an alias of the list), a feed per list (`…/index.xml`), sub-section lists (year
folders), bundle files (`/publication/<key>/cite.bib`) and language prefixes
(`/en/…`). `LegacyUrlMiddleware` looks at a request only when everything else
answered 404 and redirects it permanently to where that content lives now.
"""

import re
from urllib.parse import quote, unquote, urlencode

from django.contrib.redirects.models import Redirect
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils.text import slugify

from importers.hugo.values import LEGACY_TYPES, TYPE_LABELS
from pages.models import Page
from people.models import Person
from research.models import Project, Publication, PublicationType, Tag

TAGS = {"tag", "tags"}
CATEGORIES = {"category", "categories"}
AUTHORS = {"author", "authors"}
PUBLICATION_TYPES = {"publication-type", "publication_types", "publication-types"}
FEED_NAMES = {"index.xml", "feed.xml", "rss.xml", "atom.xml"}
LANGUAGE = re.compile(r"^[a-z]{2}(-[a-z]{2,4})?$")
MAX_SEGMENTS = 12
# Detail pages whose object is looked up by slug (a page's own view answers 404 else).
DETAIL_MODELS = {
    "page_detail": Page,
    "person_detail": Person,
    "project_detail": Project,
    "publication_detail": Publication,
}


class LegacyUrlMiddleware:
    """On a 404 for GET/HEAD, a permanent redirect to the content an old Hugo URL
    named, when Hugo's rules say what that was."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        target = legacy_target(request.path, get_current_site(request))
        if target and target.split("?")[0] != request.path:
            return HttpResponsePermanentRedirect(target)
        return response


def legacy_target(path, site):
    segments = [s for s in unquote(path).lower().split("/") if s]
    if not segments or len(segments) > MAX_SEGMENTS:
        return None
    target = _resolve(segments, site)
    if target is None and LANGUAGE.match(segments[0]):
        # /es/…: a translation, shown in the language the portal holds (the default
        # language's URL may have its own prefix, as with defaultContentLanguageInSubdir).
        target = _resolve(segments[1:], site, any_language=True)
        if target is None:
            # Hugo gives a translation its default-language path under the prefix:
            # where that path is one of the portal's own pages (a project whose URL
            # did not change), the translation is that page.
            target = _answering("/" + "/".join(path.strip("/").split("/")[1:]) + "/")
    return target


def _answering(path):
    """`path` when the portal has a page there, else None."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    slug = match.kwargs.get("slug")
    model = DETAIL_MODELS.get(match.url_name)
    if model is not None and slug is not None:
        return path if model.objects.published().filter(slug=slug).exists() else None
    return path if match.url_name != "page_detail" else None


def _resolve(segments, site, any_language=False):
    if not segments:
        return "/"
    if segments == ["sitemap.xml"]:  # a language's sitemap (/en/sitemap.xml): the one
        return "/sitemap.xml"
    last = segments[-1]
    if last in FEED_NAMES:
        listing = _list_target(segments[:-1], site, any_language) or "/"
        return "/publications/feed/" if listing.startswith("/publications/") else "/news/feed/"
    if len(segments) >= 2 and segments[-2] == "page" and last.isdigit():
        listing = _list_target(segments[:-2], site, any_language)
        if listing is None:
            return None
        number = int(last)
        if number <= 1:
            return listing
        joiner = "&" if "?" in listing else "?"
        return f"{listing}{joiner}page={number}"
    if "." in last:  # a file of a bundle: cite.bib, a PDF, an image
        if len(segments) == 1:
            return None  # a file at the root belongs to no bundle: a plain 404
        owner = _list_target(segments[:-1], site, any_language)
        if owner is None:
            return None
        found = re.fullmatch(r"/publications/([\w-]+)/", owner)
        if last.endswith(".bib") and found:
            return f"/publications/{found.group(1)}.bib"
        return owner
    return _list_target(segments, site, any_language)


def _list_target(segments, site, any_language=False):
    """Where a list or page path of the old site lives now, or None."""
    if not segments:
        return "/"
    head, rest = segments[0], segments[1:]
    if head in TAGS:
        return _tag(rest)
    if head in CATEGORIES:
        if not rest:
            return "/news/"
        return "/search/?" + urlencode({"q": rest[0].replace("-", " ")})
    if head in PUBLICATION_TYPES:
        return _publication_type(rest)
    stored = _stored(segments, site, any_language)
    if stored:
        return stored
    if not rest and Page.objects.published().filter(slug=head).exists():
        return f"/{head}/"  # a page whose URL did not change
    if head in AUTHORS:
        return _author(rest)
    # A sub-section (a year folder) lists what its section lists.
    for end in range(len(segments) - 1, 0, -1):
        stored = _stored(segments[:end], site, any_language)
        if stored and _is_list(stored):
            return stored
    return None


def _stored(segments, site, any_language=False):
    """The importer's redirect for this path (as Hugo wrote it, or percent-encoded);
    with `any_language`, also the same path under a language prefix (/en/…)."""
    old = "/" + "/".join(segments) + "/"
    paths = {old, quote(old)}
    redirects = Redirect.objects.filter(site=site)
    found = redirects.filter(old_path__in=paths).values_list("new_path", flat=True).first()
    if not found and any_language:
        pattern = r"^/[a-z]{2}(-[a-z]{2,4})?" + re.escape(quote(old)) + "$"
        found = redirects.filter(old_path__regex=pattern).values_list("new_path", flat=True).first()
    return found or None


def _is_list(target):
    return target.rstrip("/").count("/") == 1  # /publications/, /news/, /people/


def _tag(rest):
    if not rest:
        return "/publications/"
    slug = slugify(rest[0])
    if Tag.objects.filter(slug=slug).exists():
        return "/publications/?" + urlencode({"tag": slug})
    return "/search/?" + urlencode({"q": rest[0].replace("-", " ")})


def _publication_type(rest):
    if not rest:
        return "/publications/"
    raw = rest[0]
    value = LEGACY_TYPES.get(raw) or TYPE_LABELS.get(raw.replace("-", " ")) or raw
    if value in PublicationType.values:
        return "/publications/?" + urlencode({"type": value})
    return "/publications/"


def _author(rest):
    if not rest:
        return "/people/"
    slug = slugify(rest[0])
    person = Person.objects.published().filter(slug=slug).only("slug").first()
    if person is not None:
        return person.get_absolute_url()
    # An author without a profile: the publications that name them.
    return "/publications/?" + urlencode({"q": rest[0].replace("-", " ")})
