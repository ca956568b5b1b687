"""Publication filters: year, type, direction, person, tag, featured and text search.

Filters live in the query string (shareable links); each facet shows how many
publications each choice would give with the other filters applied. The page,
the facets and the `.bib` export all use the same `PublicationFilters`.
"""

import re
from collections import Counter
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from people.models import Person
from research.models import Authorship, PublicationType, ResearchDirection, Tag

FACETS = ["year", "type", "direction", "person", "tag", "featured"]
MAX_WORDS = 6
SELECT_LABELS = [("year", _("Year")), ("type", _("Type")), ("direction", _("Research direction")),
                 ("person", _("Lab member")), ("tag", _("Tag"))]  # fmt: skip


class PublicationFilters:
    def __init__(self, params):
        self.values = {}
        for name in FACETS + ["q"]:
            value = (
                (params.get(name) or "").replace("\x00", "").strip()
            )  # NUL: not text to PostgreSQL
            if value:
                self.values[name] = value[:100]
        if (
            not re.fullmatch(r"[0-9]{4}", self.values.get("year", ""))
            or self.values["year"] == "0000"
        ):
            self.values.pop("year", None)
        if self.values.get("featured") not in (None, "1"):
            del self.values["featured"]

    @property
    def active(self):
        return bool(self.values)

    def querystring(self, **changes):
        values = {**self.values, **changes}
        return urlencode({k: v for k, v in values.items() if v})

    def apply(self, queryset, skip=None):
        v = {k: val for k, val in self.values.items() if k != skip}
        if "year" in v:
            queryset = queryset.filter(date__year=int(v["year"]))
        if "type" in v:
            queryset = queryset.filter(pub_type=v["type"])
        # A slug names one direction or tag, so these joins never repeat a publication;
        # a person may be listed twice as an author of one, so that is a subquery.
        # Without DISTINCT, counting and grouping stay cheap.
        if "direction" in v:
            queryset = queryset.filter(directions__slug=v["direction"])
        if "person" in v:
            authored = Authorship.objects.filter(person__slug=v["person"]).values("publication")
            queryset = queryset.filter(pk__in=authored)
        if "tag" in v:
            queryset = queryset.filter(tags__slug=v["tag"])
        if "featured" in v:
            queryset = queryset.filter(featured=True)
        if "q" in v:
            for word in v["q"].split()[:MAX_WORDS]:
                # Authors are matched in a subquery: a join per word would multiply
                # rows (authors ** words) and let a long query stall the database.
                authored = Authorship.objects.filter(
                    Q(name__icontains=word)
                    | Q(person__last_name__icontains=word)
                    | Q(person__first_name__icontains=word)
                ).values("publication")
                queryset = queryset.filter(
                    Q(title__icontains=word)
                    | Q(abstract__icontains=word)
                    | Q(venue__icontains=word)
                    | Q(venue_short__icontains=word)
                    | Q(pk__in=authored)
                )
        return queryset

    def facets(self, base):
        """Choices with counts for each facet, each counted with the other filters applied.

        Facets whose own filter is not set count the same publications, so on an
        unfiltered list year, type and featured come from one grouped query and
        direction, person and tag from one query each (with their names): four in all,
        plus one for each filter set, whatever the data size.
        """

        def matching(name):
            return self.apply(base, skip=name if name in self.values else None).order_by()

        single = {}  # skip -> [(date, pub_type, featured, n)]

        def single_rows(name):
            skip = name if name in self.values else None
            if skip not in single:
                rows = matching(name).values_list("date", "pub_type", "featured")
                rows = rows.annotate(n=Count("pk"))
                single[skip] = list(rows.order_by())
            return single[skip]

        def related(name, relation, model, label):
            """{slug: (label, count)} for a many-to-many facet: counted by id over the
            join (no filter repeats a publication, so no DISTINCT), then named."""
            rows = matching(name).filter(**{f"{relation}__isnull": False})
            counts = dict(rows.values_list(relation).annotate(n=Count("pk")).order_by())
            named = model.objects.filter(pk__in=list(counts)).values_list("pk", "slug", label)
            return {slug: (text, counts[pk]) for pk, slug, text in named} if counts else {}

        # Years are summed from per-date counts: extracting the year in SQL is a
        # function call per row on SQLite; a date group comes straight from the index.
        years, types = Counter(), Counter()
        for day, _kind, _featured, n in single_rows("year"):
            if day is not None:  # undated works have no year to filter by
                years[day.year] += n
        for _day, kind, _featured, n in single_rows("type"):
            types[kind] += n
        featured = sum(n for _day, _kind, is_featured, n in single_rows("featured") if is_featured)
        directions = related("direction", "directions", ResearchDirection, "title")
        tags = related("tag", "tags", Tag, "name")
        # People from authorships (one may be listed twice on a publication), grouped
        # by id and named in a second query: joining every authorship to its person
        # costs more than both.
        authored = Authorship.objects.filter(
            publication__in=matching("person").values("pk"), person__isnull=False
        )
        counts = dict(
            authored.values_list("person")
            .annotate(n=Count("publication", distinct=True))
            .order_by()
        )
        named = Person.objects.filter(pk__in=list(counts)).values_list(
            "pk", "slug", "first_name", "last_name", "display_name"
        )
        people = {slug: (Person.shown_name(first, last, shown), counts[pk])
                  for pk, slug, first, last, shown in named}  # fmt: skip
        type_labels = dict(PublicationType.choices)
        labelled = {
            "year": {year: (str(year), n) for year, n in years.items()},
            "type": {kind: (type_labels.get(kind, kind), n) for kind, n in types.items()},
            "direction": directions,
            "person": people,
            "tag": tags,
        }
        sort_keys = {
            "year": lambda row: row[0],
            "type": lambda row: str(row[1]),
            "direction": lambda row: row[1],
            "person": lambda row: row[1].split()[-1] if row[1] else "",  # by family name
            "tag": lambda row: row[1],
        }
        facets = {"featured": featured}
        for name, counts in labelled.items():
            chosen = self.values.get(name, "")
            rows = [(str(k), label, n, str(k) == chosen) for k, (label, n) in counts.items()]
            facets[name] = sorted(rows, key=sort_keys[name], reverse=name == "year")
        return facets


def select_rows(facets):
    """(name, label, options) for each facet that has choices, in form order."""
    return [(name, label, facets[name]) for name, label in SELECT_LABELS if facets[name]]
