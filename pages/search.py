"""Site search over people, publications, projects, directions, news, events and pages.

One query per kind of result, at most `PER_KIND` results each (plus one row to know
whether there are more), published items only. On PostgreSQL: full-text search over
each row's stored `search_document` (the weighted vector of `Kind.weighted`, GIN
indexed, refreshed on save by `refresh_search_documents`), `websearch` query syntax,
`SearchRank` ordering and `SearchHeadline` snippets. Elsewhere (SQLite): every word
must occur in one of the same fields (`icontains`), titles that match come first,
and the snippet is the text around the first match. Highlighting is always safe:
text is escaped first, then the matches are wrapped in `<mark>`.
"""

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from airml.fulltext import CONFIG, document_vector
from airml.models import Status
from pages.models import Event, NewsItem, Page
from people.models import Person
from research.models import Project, Publication, ResearchDirection

PER_KIND = 10
MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
SNIPPET_CHARS = 180
# Private-use characters mark PostgreSQL's headline matches until the text is escaped.
MARK_START, MARK_STOP = "\ue000", "\ue001"


@dataclass
class Kind:
    """What one group of results searches, shows and links to."""

    key: str
    label: str
    model: type
    weighted: dict  # field -> weight "A" (titles) .. "C" (long text)
    snippet: tuple  # fields shown around the match (rendered HTML fields are stripped)
    order: tuple
    only: tuple = ()
    more_url: str = ""  # a listing that can filter by the same words, if any

    @property
    def fields(self):
        return list(self.weighted)

    @property
    def title_fields(self):
        return [name for name, weight in self.weighted.items() if weight == "A"]


KINDS = [
    Kind("people", _("People"), Person,
         {"display_name": "A", "first_name": "A", "last_name": "A", "role": "B",
          "interests": "B", "short_bio": "C", "bio": "C"},
         ("short_bio", "bio_html", "interests"), ("order", "last_name", "first_name"),
         ("slug", "display_name", "first_name", "last_name", "role")),
    Kind("publications", _("Publications"), Publication,
         {"title": "A", "venue": "B", "venue_short": "B", "abstract": "C", "summary": "C"},
         ("summary", "abstract_html"), ("-date", "title"),
         ("slug", "title", "date", "venue", "venue_short"), more_url="/publications/"),
    Kind("projects", _("Projects"), Project,
         {"title": "A", "summary": "C", "body": "C"},
         ("summary", "body_html"), ("-date", "title"), ("slug", "title", "date")),
    Kind("directions", _("Research directions"), ResearchDirection,
         {"title": "A", "summary": "C", "body": "C"},
         ("summary_html", "body_html"), ("order", "title"), ("slug", "title")),
    Kind("news", _("News"), NewsItem,
         {"title": "A", "summary": "C", "body": "C"},
         ("summary", "body_html"), ("-date", "-pk"), ("slug", "title", "date")),
    Kind("events", _("Events and talks"), Event,
         {"title": "A", "event_name": "B", "location": "B", "summary": "C", "abstract": "C",
          "body": "C"},
         ("summary", "abstract_html", "body_html"), ("-date", "-pk"),
         ("slug", "title", "date", "event_name", "location")),
    Kind("pages", _("Pages"), Page,
         {"title": "A", "subtitle": "A", "description": "B", "body": "C"},
         ("description", "body_html"), ("title",), ("slug", "title")),
]  # fmt: skip
KIND_OF_MODEL = {kind.model: kind for kind in KINDS}


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


def _meta(kind, obj):
    if kind.key == "people":
        return obj.role
    if kind.key == "publications":
        venue = obj.venue_short or obj.venue
        return f"{venue}, {obj.year_label}" if venue else obj.year_label
    if kind.key == "events":
        parts = [date_format(timezone.localtime(obj.date), "j F Y"), obj.event_name, obj.location]
        return " · ".join(p for p in parts if p)
    if kind.key == "news":
        return date_format(obj.date, "j F Y")
    if kind.key == "projects" and obj.date:
        return str(obj.date.year)
    return ""


def _title(kind, obj):
    return obj.name if kind.key == "people" else obj.title


def refresh_search_documents(model, pks=None, using=DEFAULT_DB_ALIAS):
    """Recompute the stored documents of `model`'s rows (all, or those in `pks`).

    One UPDATE, on PostgreSQL only. `update()` sends no signals and leaves `modified`
    alone. Call it after writes that skip `save()` (bulk_create, update()); saves are
    covered by the receiver in `pages.signals`.
    """
    if connections[using].vendor != "postgresql":
        return
    rows = model._base_manager.using(using)
    if pks is not None:
        rows = rows.filter(pk__in=pks)
    rows.update(search_document=document_vector(KIND_OF_MODEL[model].weighted))


def _column(kind, name):
    field = kind.model._meta.pk if name == "pk" else kind.model._meta.get_field(name)
    return connection.ops.quote_name(field.column)


def _select(kind, names, where, order, extra=""):
    """SELECT text of `kind`'s published rows (the `published()` filter first), for
    both search queries. Only quoted names from the model's own metadata are put
    in it; every value, the visitor's words included, is a parameter."""
    columns = ", ".join(_column(kind, name) for name in dict.fromkeys(["pk", *names]))
    table = connection.ops.quote_name(kind.model._meta.db_table)
    published = [f"{_column(kind, 'status')} = %s", f"{_column(kind, 'publish_at')} <= %s"]
    conditions = " AND ".join([*published, *where])
    by_kind = [f"{_column(kind, name.lstrip('-'))} {'DESC NULLS LAST' if name[0] == '-' else 'ASC'}"
               for name in kind.order]  # fmt: skip
    order = ", ".join([*order, *by_kind])
    return f"SELECT {columns}{extra} FROM {table} WHERE {conditions} ORDER BY {order} LIMIT %s"  # noqa: S608


def _published_params():
    return [Status.PUBLISHED.value, connection.ops.adapt_datetimefield_value(timezone.now())]


def _postgres_rows(kind, q, limit):
    """The top `limit` published items of `kind` for the web-search query `q`, by
    rank, with a headline (computed by PostgreSQL after the sort and LIMIT, so only
    for the rows returned). Written as SQL: building it through the ORM each time
    cost a fifth of a search; tests compare it with the ORM query."""
    query = "websearch_to_tsquery(%s::regconfig, %s)"
    options = connection.ops.compose_sql(
        "StartSel=%s, StopSel=%s, MaxWords=30, MinWords=15", [MARK_START, MARK_STOP]
    )
    text = "concat_ws(%s, " + ", ".join(_column(kind, name) for name in kind.snippet) + ")"
    extra = (f", ts_rank({_column(kind, 'search_document')}, {query}) AS rank"
             f", ts_headline(%s::regconfig, {text}, {query}, %s) AS headline")  # fmt: skip
    sql = _select(kind, kind.only, [f"{_column(kind, 'search_document')} @@ ({query})"],
                  ["rank DESC"], extra)  # fmt: skip
    params = [CONFIG, q, CONFIG, " ", CONFIG, q, options, *_published_params(), CONFIG, q, limit]
    return list(kind.model.objects.raw(sql, params))


def _fallback_rows(kind, words, limit):
    """Published items of `kind` in which every word occurs in one of its fields
    (case-insensitive, as `icontains`), title matches first, then `kind.order`.

    Written as SQL: with a field lookup per word and field, building the seven
    querysets through the ORM cost as much as running them. It is the query an
    `icontains` filter per word and field would make; tests compare the two.
    """

    def any_field(names, word):
        pattern = f"%{connection.ops.prep_for_like_query(word)}%"
        conditions = [f"{_column(kind, name)} LIKE %s ESCAPE '\\'" for name in names]
        return conditions, [pattern] * len(names)

    where, params = [], _published_params()
    for word in words:
        conditions, patterns = any_field(kind.fields, word)
        where.append("(" + " OR ".join(conditions) + ")")
        params += patterns
    title_hit = []
    for word in words:
        conditions, patterns = any_field(kind.title_fields, word)
        title_hit += conditions
        params += patterns
    sql = _select(kind, [*kind.only, *kind.snippet], where, [f"({' OR '.join(title_hit)}) DESC"])
    return list(kind.model.objects.raw(sql, [*params, limit]))


def search(q, per_kind=PER_KIND):
    """Groups of results (only kinds with results), in `KINDS` order: one query each."""
    q = " ".join(q.split())[:MAX_QUERY_LENGTH]
    words = query_words(q)
    if not words:
        return []
    postgres = connection.vendor == "postgresql"
    groups = []
    for kind in KINDS:
        if postgres:
            rows = _postgres_rows(kind, q, per_kind + 1)
        else:
            rows = _fallback_rows(kind, words, per_kind + 1)
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
                    title=highlight(_title(kind, obj), words),
                    url=obj.get_absolute_url(),
                    meta=_meta(kind, obj),
                    snippet=text,
                )
            )
        groups.append(group)
    return groups
