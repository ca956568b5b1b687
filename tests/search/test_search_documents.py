"""Stored search documents (PostgreSQL): filled by every kind of write, GIN indexed,
read by search; on SQLite the column stays NULL and search does not use it."""

import datetime

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core import serializers
from django.db import connection
from django.test.utils import CaptureQueriesContext

from airml.fulltext import CONFIG
from news.models import NewsItem
from people.models import Person
from research.bibtex_import import import_bibtex
from research.models import Publication
from search.registry import KINDS, refresh_search_documents, search
from tests.admin_forms import admin_form_data
from tests.factories import (
    DirectionFactory,
    EventFactory,
    NewsFactory,
    PageFactory,
    PersonFactory,
    ProjectFactory,
    PublicationFactory,
)

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stored documents exist on PostgreSQL only"
)


def found(word):
    return {result.url for group in search(word) for result in group.results}


def document(obj):
    return type(obj)._base_manager.values_list("search_document", flat=True).get(pk=obj.pk)


@on_postgres
def test_every_kind_saved_is_found_by_its_stored_document():
    objects = [
        PersonFactory(slug="grace", bio="Grace studies *quokka* cognition."),
        PublicationFactory(slug="paper", abstract="A quokka dataset."),
        ProjectFactory(slug="atlas", body="Mapping the quokka."),
        DirectionFactory(slug="dir", summary="Quokka behaviour."),
        NewsFactory(slug="news", summary="Quokka news."),
        EventFactory(slug="talk", event_name="Quokka Symposium"),
        PageFactory(slug="about", description="All about the quokka."),
    ]

    assert {type(obj) for obj in objects} == {kind.model for kind in KINDS}
    assert all(document(obj) for obj in objects)
    assert found("quokka") == {obj.get_absolute_url() for obj in objects}


@on_postgres
def test_document_holds_the_weighted_fields_of_its_kind():
    person = PersonFactory(first_name="Grace", last_name="Hopper", role="Professor",
                           short_bio="", bio="Compilers.", interests="")  # fmt: skip

    # Names weigh A, the role B, the biography C (search.registry.KINDS).
    assert document(person) == "'compil':4C 'grace':1A 'hopper':2A 'professor':3B"


@on_postgres
def test_edit_by_model_save_changes_what_finds_it():
    person = PersonFactory(slug="grace", bio="Works on wombats.")
    assert found("wombat") == {"/people/grace/"}
    person = Person.objects.get(pk=person.pk)  # loaded as a view or the admin does

    person.bio = "Works on numbats."
    person.save()

    assert found("wombat") == set()
    assert found("numbat") == {"/people/grace/"}
    saved_at = person.modified
    person.refresh_from_db()
    assert person.modified == saved_at  # the refresh leaves the timestamp alone


@on_postgres
def test_admin_add_and_change_update_what_finds_it(staff_client):
    add = admin_form_data(staff_client.get("/admin/research/publication/add/"))
    add.update({"title": "Certified Wombat Detection", "slug": "wombats",
                "date": "2025-01-01", "abstract": "Wombats, certified."})  # fmt: skip
    assert staff_client.post("/admin/research/publication/add/", add).status_code == 302
    publication = Publication.objects.get(slug="wombats")
    assert found("wombat") == {"/publications/wombats/"}

    url = f"/admin/research/publication/{publication.pk}/change/"
    change = admin_form_data(staff_client.get(url))
    change.update({"title": "Certified Numbat Detection", "abstract": "Numbats, certified."})
    assert staff_client.post(url, change).status_code == 302

    assert found("wombat") == set()
    assert found("numbat") == {"/publications/wombats/"}


@on_postgres
def test_bulk_created_rows_are_found_after_the_refresh():
    news = NewsItem.objects.bulk_create(
        [NewsItem(title=f"Platypus sighting {i}", slug=f"platypus-{i}",
                  date=datetime.date(2025, 1, i + 1)) for i in range(3)]
    )  # fmt: skip
    assert found("platypus") == set()  # bulk_create sends no signal

    refresh_search_documents(NewsItem, [news[0].pk])
    assert found("platypus") == {"/news/platypus-0/"}

    modified = {n.pk: n.modified for n in NewsItem.objects.all()}
    refresh_search_documents(NewsItem)
    assert found("platypus") == {"/news/platypus-0/", "/news/platypus-1/", "/news/platypus-2/"}
    assert {n.pk: n.modified for n in NewsItem.objects.all()} == modified


@on_postgres
def test_raw_save_of_a_serialized_row_fills_its_document():
    # loaddata (backup restore) and reverting a version save rows raw, without the
    # document: it is derived, so not serialized.
    person = PersonFactory(slug="grace", bio="Echidna expert.")
    data = serializers.serialize("json", [person])
    assert "search_document" not in data
    Person.objects.all().delete()

    for obj in serializers.deserialize("json", data):
        obj.save()

    assert found("echidna") == {"/people/grace/"}


@on_postgres
def test_bibtex_import_is_found_and_reimport_updates_it():
    entry = "@article{roe2025, title = {Bandicoot Vision}, author = {Roe, Jane}, year = 2025}"
    import_bibtex(entry)
    assert found("bandicoot") == {"/publications/roe2025/"}

    import_bibtex(entry.replace("Bandicoot", "Quoll"))

    assert found("bandicoot") == set()
    assert found("quoll") == {"/publications/roe2025/"}


@on_postgres
def test_search_filters_and_ranks_on_the_gin_indexed_document():
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexdef FROM pg_indexes WHERE indexname LIKE %s",
                       ["%_search"])  # fmt: skip
        indexes = dict(cursor.fetchall())
    assert set(indexes) == {kind.model._meta.db_table for kind in KINDS}
    assert all("USING gin (search_document)" in definition for definition in indexes.values())
    with connection.cursor() as cursor:  # kept in the row, where ranking reads it
        cursor.execute(
            "SELECT c.relname, a.attstorage FROM pg_attribute a JOIN pg_class c"
            " ON a.attrelid = c.oid WHERE a.attname = 'search_document' AND c.relkind = 'r'"
        )
        storage = dict(cursor.fetchall())
    assert storage == {kind.model._meta.db_table: "m" for kind in KINDS}

    with CaptureQueriesContext(connection) as queries:
        search("wallaby")
    sql = next(q["sql"] for q in queries.captured_queries if '"people_person"' in q["sql"])
    assert '"search_document" @@' in sql
    assert 'ts_rank("people_person"."search_document"' in sql
    assert "to_tsvector" not in sql  # no document is built per row at query time

    lookup = Person.objects.filter(search_document=SearchQuery("wallaby", config=CONFIG))
    sql, params = lookup.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table is read whole
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on people_person_search" in plan, plan


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the fallback's database")
def test_elsewhere_documents_stay_empty_and_search_still_finds():
    person = PersonFactory(slug="grace", bio="Wombat expert.")

    refresh_search_documents(Person)

    assert document(person) is None
    assert found("wombat") == {"/people/grace/"}
