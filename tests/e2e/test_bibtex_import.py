"""A 5,000-entry BibTeX file through the admin, run by a real task worker process.

The worker (`manage.py db_worker`) must open the test database: PostgreSQL
(DATABASE_URL), or SQLite in a file (AIRML_TEST_DB_FILE=/tmp/x.sqlite3); the
default in-memory SQLite test database cannot be shared with a second process.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from bib_corpus import synthetic_bib  # noqa: E402

ENTRIES = 5000


def _database_url():
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        return f"sqlite:///{db['NAME']}"
    return None


@pytest.fixture
def worker(live_server, settings, tmp_path):
    url = _database_url()
    if url is None:
        message = "the task worker needs a shared database: PostgreSQL or AIRML_TEST_DB_FILE"
        if os.environ.get("AIRML_E2E_REQUIRED"):
            pytest.fail(message)
        pytest.skip(message)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["default"]}}  # fmt: skip
    env = {**os.environ, "DATABASE_URL": url, "TASKS_BACKEND": "db",
           "DJANGO_SETTINGS_MODULE": "airml.settings_test"}  # fmt: skip
    env.pop("AIRML_TEST_DB_FILE", None)
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2",
         "--no-startup-delay"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    yield process
    process.terminate()
    process.wait(timeout=20)
    log.close()


def _wait_for_status(page, status, seconds):
    """The page refreshes itself (meta refresh); wait until it shows `status`."""
    from playwright.sync_api import Error as PlaywrightError

    seen = set()
    deadline = time.monotonic() + seconds
    current = None
    while time.monotonic() < deadline:
        try:
            current = page.locator("[data-status]").get_attribute("data-status")
        except PlaywrightError:  # caught between two refreshes: look again
            continue
        seen.add(current)
        if current == status:
            return seen
        assert current != "failed", page.locator(".errornote").inner_text()
        page.wait_for_timeout(500)
    raise AssertionError(f"still {current} after {seconds} s (seen: {seen})")


def test_five_thousand_entries_import_through_the_admin_with_a_worker(visit, worker, tmp_path):
    from research.models import Publication
    from tests.factories import UserFactory

    UserFactory(username="editor", is_staff=True, is_superuser=True)
    bib = tmp_path / "large.bib"
    bib.write_text(synthetic_bib(ENTRIES), encoding="utf-8")
    browser = visit()
    page = browser.page
    browser.goto("/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw-for-tests-123")
    with page.expect_navigation():
        page.click("input[type=submit]")

    browser.goto("/admin/research/publication/import-bibtex/")
    page.set_input_files("#id_bibfile", str(bib))
    with page.expect_navigation():
        page.click("input[name=preview]")
    _wait_for_status(page, "planned", 180)
    assert f"{ENTRIES} new, 0 updated, 0 unchanged, 0 with errors." in page.inner_text(
        ".import-counts"
    )
    assert Publication.objects.count() == 0  # nothing saved before confirming
    with page.expect_navigation():
        page.click("input[name=confirm]")
    seen = _wait_for_status(page, "done", 900)

    assert "applying" in seen  # the progress page was shown while the worker ran
    assert f"{ENTRIES} new, 0 updated, 0 unchanged, 0 with errors." in page.inner_text(
        ".import-counts"
    )
    assert Publication.objects.count() == ENTRIES
    assert worker.poll() is None  # the worker is still serving
