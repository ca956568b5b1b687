"""Shared fixtures: a clean cache per test, staff clients, a movable clock."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from airml import fragments
from tests.factories import UserFactory
from tests.recorded import recorded, shut_network  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    fragments.clear()  # a frozen clock can give two tests' objects the same key
    yield
    cache.clear()


@pytest.fixture
def staff_user(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def plain_user(db):
    return UserFactory(is_staff=False)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test writes uploads into its own empty MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"


class Clock:
    """The time as Django sees it (django.utils.timezone.now), moved by tests."""

    def __init__(self, now):
        self.now = now

    def advance(self, **delta):
        self.now += datetime.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    fixed = Clock(timezone.now().replace(microsecond=0))
    monkeypatch.setattr(timezone, "now", lambda: fixed.now)
    return fixed
