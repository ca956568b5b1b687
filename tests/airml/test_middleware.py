"""The 503 page while the database is unreachable, and the structured request log."""

import json
import logging
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.utils import InterfaceError

from airml.cache import content_version
from airml.logs import JsonFormatter
from pages import views as page_views

pytestmark = pytest.mark.django_db


def database_down(*args, **kwargs):
    raise OperationalError('connection to server at "db" failed: Connection refused')


def assert_friendly_503(response):
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert "Back in a moment" in html
    assert "Traceback" not in html and "OperationalError" not in html


def test_view_hitting_a_down_database_answers_503(client, django_assert_num_queries):
    content_version()  # known, as on a running site
    with mock.patch.object(page_views.Page.objects, "visible_to", side_effect=database_down):
        with django_assert_num_queries(0):
            response = client.get("/research/")

    assert_friendly_503(response)


def test_down_database_with_no_content_version_answers_503(client):
    # Right after an edit the page cache must make a new version, which takes a query.
    with (
        mock.patch("airml.cache.next_scheduled_time", side_effect=database_down),
        mock.patch.object(page_views.Page.objects, "visible_to", side_effect=database_down),
    ):
        response = client.get("/research/")

    assert_friendly_503(response)


def test_503_page_does_not_run_context_processors(client):
    with (
        mock.patch.object(page_views.Page.objects, "visible_to", side_effect=database_down),
        mock.patch("pages.context_processors.site", side_effect=AssertionError("queried")),
    ):
        response = client.get("/research/")

    assert_friendly_503(response)


def test_database_error_outside_a_view_also_answers_503(staff_client):
    # Staff have a session: loading it fails in middleware, before any view runs.
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=InterfaceError("connection already closed"),
    ):
        response = staff_client.get("/research/")

    assert_friendly_503(response)


def test_other_errors_still_answer_500(client):
    client.raise_request_exception = False
    with mock.patch.object(page_views.Page.objects, "visible_to", side_effect=ValueError("bug")):
        response = client.get("/research/")

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_request_log_is_one_json_line_with_timing(client, caplog):
    caplog.set_level(logging.INFO, logger="airml.request")

    client.get("/people/", REMOTE_ADDR="198.51.100.20")

    record = next(r for r in caplog.records if r.name == "airml.request")
    line = json.loads(JsonFormatter().format(record))
    assert line["logger"] == "airml.request"
    assert line["method"] == "GET"
    assert line["path"] == "/people/"
    assert line["status"] == 200
    assert line["client_ip"] == "198.51.100.20"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert line["message"].startswith("GET /people/ 200 ")
