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
            value = (params.get(name) or "").strip()
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
        if "direction" in v:
            queryset = queryset.filter(directions__slug=v["direction"])
        if "person" in v:
            queryset = queryset.filter(authorships__person__slug=v["person"])
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
        if any(k in v for k in ("direction", "person", "tag")):
            queryset = queryset.distinct()
        return queryset

    def facets(self, base):
        """Choices with counts for each facet: one query per facet, whatever the data size."""

        def counted(skip, field):
            qs = self.apply(base, skip=skip).order_by()
            rows = qs.values(field).annotate(n=Count("pk", distinct=True)).order_by()
            return {row[field]: row["n"] for row in rows if row[field] is not None}

        # Years are summed from per-date counts: extracting the year in SQL is a
        # function call per row on SQLite; a date group comes straight from the index.
        years = Counter()
        for day, n in counted("year", "date").items():
            years[day.year] += n
        types = counted("type", "pub_type")
        directions = counted("direction", "directions__slug")
        # Counted from the authorships of the matching publications: joining
        # publications to authorships and grouping is twice as slow.
        matching = self.apply(base, skip="person").order_by().values("pk")
        authorships = Authorship.objects.filter(publication__in=matching, person__isnull=False)
        people = dict(
            authorships.values_list("person__slug")
            .annotate(n=Count("publication", distinct=True))
            .order_by()
        )
        tags = counted("tag", "tags__slug")
        featured = self.apply(base, skip="featured").filter(featured=True).count()
        names = {
            "direction": dict(
                ResearchDirection.objects.filter(slug__in=directions).values_list("slug", "title")
            ),
            "person": {
                p.slug: p.name
                for p in Person.objects.filter(slug__in=people).only(
                    "slug", "first_name", "last_name", "display_name"
                )
            },  # fmt: skip
            "tag": dict(Tag.objects.filter(slug__in=tags).values_list("slug", "name")),
        }
        type_labels = dict(PublicationType.choices)

        def options(name, counts, labels):
            chosen = self.values.get(name, "")
            rows = [(str(k), labels.get(k, str(k)), n, str(k) == chosen) for k, n in counts.items()]
            return rows

        return {
            "year": sorted(options("year", years, {}), key=lambda r: r[0], reverse=True),
            "type": sorted(options("type", types, type_labels), key=lambda r: str(r[1])),
            "direction": sorted(
                options("direction", directions, names["direction"]), key=lambda r: r[1]
            ),  # fmt: skip
            "person": sorted(
                options("person", people, names["person"]),
                key=lambda r: r[1].split()[-1] if r[1] else "",
            ),  # fmt: skip
            "tag": sorted(options("tag", tags, names["tag"]), key=lambda r: r[1]),
            "featured": featured,
        }


def select_rows(facets):
    """(name, label, options) for each facet that has choices, in form order."""
    return [(name, label, facets[name]) for name, label in SELECT_LABELS if facets[name]]
