"""A database made by main before the move (news, events and the import record in
`pages`), with content, migrated forward: every row is there afterwards, under
`news` and `importers`."""

import datetime
import json

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from reversion.models import Version

from airml.fulltext import document_vector
from importers.models import ImportedItem
from news.models import Event, NewsItem
from people.models import Person
from search.registry import search

# The leaf migrations of main's apps before news/ existed.
MAIN = [
    ("pages", "0014_link_fields_take_site_paths"),
    ("people", "0004_person_listed"),
    ("research", "0010_link_fields_take_site_paths"),
    ("airml", "0001_linkcheck"),
    ("news", None),
    ("importers", None),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()  # labels changed under the per-process cache
    # With the apps main's content refers to (admin log, versions), whose schema is unchanged.
    others = [n for n in executor.loader.graph.leaf_nodes() if n[0] in ("admin", "reversion")]
    return executor.loader.project_state([t for t in targets if t[1]] + others).apps


def _old_content(apps):
    """Content made through main's models, as main's admin would have left it."""
    Person = apps.get_model("people", "Person")
    NewsItem = apps.get_model("pages", "NewsItem")
    Event = apps.get_model("pages", "Event")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("auth", "User")
    LogEntry = apps.get_model("admin", "LogEntry")
    Revision = apps.get_model("reversion", "Revision")
    Version = apps.get_model("reversion", "Version")
    ImportedItem = apps.get_model("pages", "ImportedItem")

    ada = Person.objects.create(slug="ada", first_name="Ada", last_name="Lovelace",
                                status="published")  # fmt: skip
    news = NewsItem.objects.create(slug="accepted", title="Paper accepted", summary="Quokka.",
                                   date=datetime.date(2025, 3, 1), status="published",
                                   body="Text", body_html="<p>Text</p>")  # fmt: skip
    news.authors.add(ada)
    NewsItem.objects.create(slug="draft", title="A draft", date=datetime.date(2025, 4, 1),
                            status="draft")  # fmt: skip
    event = Event.objects.create(slug="talk", title="Quokka talk", date=timezone.now(),
                                 location="Zurich", status="published")  # fmt: skip
    event.people.add(ada)

    news_type = ContentType.objects.get(app_label="pages", model="newsitem")
    event_type = ContentType.objects.get(app_label="pages", model="event")
    editor = Group.objects.get(name="Editor")
    assert editor.permissions.filter(content_type=event_type, codename="change_event").exists()
    user = User.objects.create(username="editor", is_staff=True)
    LogEntry.objects.create(user=user, content_type=news_type, object_id=str(news.pk),
                            object_repr=news.title, action_flag=2, change_message="[]")  # fmt: skip
    revision = Revision.objects.create(date_created=timezone.now(), user=user, comment="")
    data = [{"model": "pages.newsitem", "pk": news.pk,
             "fields": {"title": "Paper accepted (first)", "slug": "accepted",
                        "date": "2025-03-01", "summary": "", "body": "", "body_html": "",
                        "image": "", "image_alt": "", "featured": False, "status": "published",
                        "publish_at": "2025-03-01T12:00:00Z", "created": "2025-03-01T12:00:00Z",
                        "modified": "2025-03-01T12:00:00Z", "authors": [ada.pk]}}]  # fmt: skip
    Version.objects.create(revision=revision, object_id=str(news.pk), content_type=news_type,
                           db="default", format="json", serialized_data=json.dumps(data),
                           object_repr=news.title)  # fmt: skip
    if connection.vendor == "postgresql":  # the document main's save receiver stored
        Event.objects.update(search_document=document_vector({"title": "A", "location": "B"}))
    ImportedItem.objects.create(source="content/event/talk/index.md", content_type=event_type,
                                object_id=event.pk, checksum="0" * 64)  # fmt: skip
    return {"news": news.pk, "event": event.pk, "news_type": news_type.pk,
            "event_type": event_type.pk, "permissions": Permission.objects.count()}  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_a_database_made_by_main_keeps_every_row_under_the_new_apps():
    old = _old_content(_migrate(MAIN))

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    news = NewsItem.objects.get(pk=old["news"])
    assert (news.slug, news.title, news.date) == ("accepted", "Paper accepted",
                                                  datetime.date(2025, 3, 1))  # fmt: skip
    assert [p.slug for p in news.authors.all()] == ["ada"]
    assert set(NewsItem.objects.values_list("slug", flat=True)) == {"accepted", "draft"}
    event = Event.objects.get(pk=old["event"])
    assert [p.slug for p in event.people.all()] == ["ada"]
    assert Person.objects.get(slug="ada").news_items.get() == news

    # The same content-type rows, now labelled `news`; none left under `pages`.
    assert ContentType.objects.get_for_model(NewsItem).pk == old["news_type"]
    assert ContentType.objects.get_for_model(Event).pk == old["event_type"]
    assert not ContentType.objects.filter(app_label="pages", model__in=["newsitem", "event"])
    from django.contrib.auth.models import Permission

    assert Permission.objects.count() == old["permissions"]  # moved, none made twice
    editor = Group.objects.get(name="Editor")
    assert editor.permissions.filter(content_type__app_label="news", codename="change_event")

    # The admin's history, django-reversion's versions and the import records follow.
    assert LogEntry.objects.get().get_edited_object() == news
    version = Version.objects.get_for_object(news).get()
    assert version.field_dict["title"] == "Paper accepted (first)"
    version.revision.revert()
    assert NewsItem.objects.get(pk=news.pk).title == "Paper accepted (first)"
    record = ImportedItem.objects.get()  # moved to `importers` the same way
    assert record.content_type.model_class() is Event
    assert ContentType.objects.get_for_model(ImportedItem).app_label == "importers"

    # The public site serves them from the same tables (and stored search documents).
    assert {r.url for g in search("quokka") for r in g.results} >= {"/events/talk/"}
    assert NewsItem._meta.db_table == "pages_newsitem"


@pytest.mark.django_db(transaction=True)
def test_moving_back_to_main_keeps_the_rows_too():
    apps = _migrate(MAIN)
    NewsItem_ = apps.get_model("pages", "NewsItem")
    NewsItem_.objects.create(slug="kept", title="Kept", date=datetime.date(2025, 1, 1))

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert NewsItem.objects.get(slug="kept").title == "Kept"

    back = _migrate(MAIN)
    assert back.get_model("pages", "NewsItem").objects.get(slug="kept").title == "Kept"
    assert ContentType.objects.filter(app_label="pages", model="newsitem").exists()
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
