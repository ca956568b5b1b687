"""The bibliographic-fields migration, run on a database in main's previous schema."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from research.bibtex_import import import_bibtex
from research.models import Publication

BEFORE = [("research", "0005_publication_notes")]
AFTER = [("research", "0006_publication_bibliographic_fields")]
YEAR_ONLY = "@article{yearonly, title = {Year Only}, author = {Doe, Jane}, year = 2025,\n" \
    "  journal = {J. Things}, volume = {3}, pages = {1--9}}"  # fmt: skip
WITH_MONTH = "@inproceedings{withmonth, title = {With Month}, year = 2024, month = jun,\n" \
    "  booktitle = {Conf}}"  # fmt: skip


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_rows_keep_their_values_and_reimport_fills_the_new_fields():
    old_apps = _migrate(BEFORE)
    OldPublication = old_apps.get_model("research", "Publication")
    common = {"status": "published", "pub_type": "article-journal"}
    OldPublication.objects.create(slug="yearonly", title="Year Only", venue="J. Things",
                                  date=datetime.date(2025, 1, 1), bibtex=YEAR_ONLY,
                                  doi="10.1/y", **common)  # fmt: skip
    OldPublication.objects.create(
        slug="withmonth",
        title="With Month",
        venue="Conf",
        date=datetime.date(2024, 6, 1),
        bibtex=WITH_MONTH,
        **common,
    )
    OldPublication.objects.create(slug="manual", title="Typed In", venue="Somewhere",
                                  date=datetime.date(2023, 3, 1), **common)  # fmt: skip

    _migrate(AFTER)
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # the rest, as it was

    rows = {p.slug: p for p in Publication.objects.all()}
    assert {slug: (p.title, p.date, p.venue, p.date_precision) for slug, p in rows.items()} == {
        "yearonly": ("Year Only", datetime.date(2025, 1, 1), "J. Things", "year"),
        "withmonth": ("With Month", datetime.date(2024, 6, 1), "Conf", "month"),
        "manual": ("Typed In", datetime.date(2023, 3, 1), "Somewhere", "month"),
    }
    assert rows["yearonly"].doi == "10.1/y" and rows["yearonly"].volume == ""

    entries, counts = import_bibtex(YEAR_ONLY + "\n" + WITH_MONTH)

    assert counts["update"] == 2 and counts["new"] == 0
    refreshed = Publication.objects.get(slug="yearonly")
    assert (refreshed.volume, refreshed.pages, refreshed.entry_type) == ("3", "1--9", "article")
    assert "month" not in refreshed.bibtex_export
    assert Publication.objects.get(slug="withmonth").entry_type == "inproceedings"
