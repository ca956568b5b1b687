"""Site search: the kinds of results each app registers, and the search itself.

Each app says what of its own is searched in its `AppConfig.ready()`
(`register(Kind(...))`): which model, which fields with which weights, what a hit
shows and how the group is labelled. Kinds are listed in the order they were
registered, which is the order of `INSTALLED_APPS`.

One query per kind, at most `PER_KIND` results each (plus one row to know whether
there are more), through the model's own `published()`. On PostgreSQL: full-text
search over each row's stored `search_document` (the weighted vector of
`Kind.weighted`, GIN indexed, refreshed on save), `websearch` query syntax,
`SearchRank` ordering and `SearchHeadline` snippets. Elsewhere (SQLite): every word
must occur in one of the same fields (`icontains`), titles that match come first,
and the snippet is the text around the first match. Highlighting is always safe:
text is escaped first, then the matches are wrapped in `<mark>`.
"""

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import BooleanField, ExpressionWrapper, F, Func, Q, TextField, Value
from django.db.models.signals import post_save
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from airml.fulltext import CONFIG, document_vector

PER_KIND = 10
MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
SNIPPET_CHARS = 180
# Private-use characters mark PostgreSQL's headline matches until the text is escaped.
MARK_START, MARK_STOP = "\ue000", "\ue001"


def _no_meta(obj):
    return ""


@dataclass
class Kind:
    """What one group of results searches, shows and links to."""

    key: str
    label: str
    model: type  # with `objects.published()` and `get_absolute_url()`
    weighted: dict  # field -> weight "A" (titles) .. "C" (long text)
    snippet: tuple  # fields shown around the match (rendered HTML fields are stripped)
    order: tuple
    only: tuple = ()  # the fields `title`, `meta` and `get_absolute_url` read
    more_url: str = ""  # a listing that can filter by the same words, if any
    title: str = "title"  # the attribute shown as the hit's title
    meta: object = _no_meta  # obj -> the short line beside the title

    @property
    def fields(self):
        return list(self.weighted)

    @property
    def title_fields(self):
        return [name for name, weight in self.weighted.items() if weight == "A"]

    def ordering(self):
        # Descending orders put NULLs last on both databases, as the listings do.
        return [F(name[1:]).desc(nulls_last=True) if name.startswith("-") else F(name).asc()
                for name in self.order]  # fmt: skip


KINDS = []  # in registration order
BROWSE = []  # (label, url) shown when a search finds nothing


def register(kind):
    """Search `kind.model` too; its stored documents are refreshed on every save."""
    if any(known.key == kind.key for known in KINDS):
        raise ValueError(f"A search kind {kind.key!r} is already registered.")
    KINDS.append(kind)
    post_save.connect(
        search_document_saved, sender=kind.model, dispatch_uid=f"search-document-{kind.key}"
    )


def add_browse_links(links):
    """(label, url) pairs the search page offers when it has no results."""
    BROWSE.extend(links)


def kind_of(model):
    for kind in KINDS:
        if kind.model is model:
            return kind
    raise LookupError(f"{model.__name__} is not searched.")


def refresh_search_documents(model, pks=None, using=DEFAULT_DB_ALIAS):
    """Recompute the stored documents of `model`'s rows (all, or those in `pks`).

    One UPDATE, on PostgreSQL only. `update()` sends no signals and leaves `modified`
    alone. Call it after writes that skip `save()` (bulk_create, update()); saves are
    covered by `search_document_saved`.
    """
    if connections[using].vendor != "postgresql":
        return
    rows = model._base_manager.using(using)
    if pks is not None:
        rows = rows.filter(pk__in=pks)
    rows.update(search_document=document_vector(kind_of(model).weighted))


def search_document_saved(sender, instance, using, **kwargs):
    # Raw saves too: loaddata (backup restore) and reverting a version write the row
    # without its document, which is not serialized.
    refresh_search_documents(sender, [instance.pk], using=using)


@dataclass
class Result:
    title: str  # safe HTML, matches marked
    url: str
    meta: str
    snippet: str  # safe HTML, matches marked


@dataclass
class Group:
    key: str
    label: str
    results: list = field(default_factory=list)
    has_more: bool = False
    more_url: str = ""


def query_words(q):
    return q.split()[:MAX_WORDS]


def _pattern(words):
    return _compiled(tuple(words))


@lru_cache(maxsize=64)  # one search highlights a hundred titles and snippets
def _compiled(words):
    alternatives = sorted({w for w in words if w}, key=len, reverse=True)
    if not alternatives:
        return None
    return re.compile("|".join(re.escape(w) for w in alternatives), re.IGNORECASE)


def highlight(text, words):
    """`text` escaped, with each case-insensitive occurrence of a word in <mark>."""
    pattern = _pattern(words)
    if pattern is None:
        return escape(text)
    # html.escape is what django.utils.html.escape applies, without its lazy wrapper.
    out, pos = [], 0
    for match in pattern.finditer(text):
        out.append(html.escape(text[pos : match.start()]))
        out.append(f"<mark>{html.escape(match.group())}</mark>")
        pos = match.end()
    out.append(html.escape(text[pos:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped


# Tags of our own rendered (sanitised, well-formed) HTML. The text is only shown
# escaped, so a leftover "<" would be harmless; strip_tags' HTML parser cost a
# millisecond a search.
TAG = re.compile(r"<[^>]*>")


def plain_text(value):
    """Readable text from a plain or rendered-HTML field, whitespace collapsed."""
    return " ".join(html.unescape(TAG.sub("", value or "")).split())


def snippet(text, words, length=SNIPPET_CHARS):
    """About `length` characters of `text` around the first match, highlighted."""
    text = " ".join(text.split())
    pattern = _pattern(words)
    match = pattern.search(text) if pattern else None
    start = 0
    if match and match.start() > length // 3:
        start = text.rfind(" ", 0, match.start() - length // 3) + 1
    piece = text[start : start + length]
    if start + length < len(text):
        piece = piece[: piece.rfind(" ")] if " " in piece else piece
        piece += " …"
    if start:
        piece = "… " + piece
    return highlight(piece, words)


def headline_html(headline):
    """A PostgreSQL headline (sentinel-marked, maybe with HTML) as safe marked HTML."""
    text = escape(plain_text(headline))
    return mark_safe(text.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))  # noqa: S308


def postgres_rows(kind, q):
    """Published items of `kind` matching the web-search query `q`, best first, each
    with its `rank` and `headline` (PostgreSQL computes headlines after the sort
    and LIMIT, so only for the rows returned)."""
    query = SearchQuery(q, search_type="websearch", config=CONFIG)
    text = Func(Value(" "), *kind.snippet, function="concat_ws", output_field=TextField())
    headline = SearchHeadline(text, query, config=CONFIG, start_sel=MARK_START,
                              stop_sel=MARK_STOP, max_words=30, min_words=15)  # fmt: skip
    return (
        kind.model.objects.published()
        .filter(search_document=query)
        .annotate(rank=SearchRank(F("search_document"), query), headline=headline)
        .order_by("-rank", *kind.ordering())
        .only(*kind.only)
    )


def fallback_rows(kind, words):
    """Published items of `kind` in which every word occurs in one of its fields
    (case-insensitive), title matches first, then `kind.order`."""

    def any_field(names, words):
        return Q(*[(f"{name}__icontains", w) for w in words for name in names], _connector=Q.OR)

    title_hit = ExpressionWrapper(any_field(kind.title_fields, words), BooleanField())
    return (
        kind.model.objects.published()
        .filter(*[any_field(kind.fields, [word]) for word in words])
        .annotate(title_hit=title_hit)
        .order_by("-title_hit", *kind.ordering())
        .only(*kind.only, *kind.snippet)
    )


def search(q, per_kind=PER_KIND):
    """Groups of results (only kinds with results), in `KINDS` order: one query each."""
    q = " ".join(q.split())[:MAX_QUERY_LENGTH]
    words = query_words(q)
    if not words:
        return []
    postgres = connection.vendor == "postgresql"
    groups = []
    for kind in KINDS:
        rows = postgres_rows(kind, q) if postgres else fallback_rows(kind, words)
        rows = list(rows[: per_kind + 1])
        if not rows:
            continue
        group = Group(kind.key, kind.label, has_more=len(rows) > per_kind)
        if group.has_more and kind.more_url:
            group.more_url = f"{kind.more_url}?{urlencode({'q': q})}"
        for obj in rows[:per_kind]:
            if postgres:
                text = headline_html(obj.headline)
            else:
                source = " ".join(plain_text(getattr(obj, name)) for name in kind.snippet)
                text = snippet(source, words)
            group.results.append(
                Result(
                    title=highlight(getattr(obj, kind.title), words),
                    url=obj.get_absolute_url(),
                    meta=kind.meta(obj),
                    snippet=text,
                )
            )
        groups.append(group)
    return groups
