"""/healthz and /readyz: answered first, without host checks or HTTPS redirects."""

from unittest import mock

import pytest
from django.db import OperationalError


def test_healthz_answers_without_the_database(client):
    # No django_db mark: any database access would raise here.
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_reports_database_up(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}


@pytest.mark.django_db
def test_readyz_fails_when_the_database_is_down(client):
    with mock.patch("airml.health.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_health_skips_host_check_and_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["lab.example.org"]

    response = client.get("/healthz", HTTP_HOST="10.0.0.5:8000")

    assert response.status_code == 200
