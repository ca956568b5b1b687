"""Test settings: fast hashing, the real Redis (its own db index), local-memory email,
throwaway media."""

import os
import tempfile

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_ALLOW_DEV_SECRET", "1")

from airml.settings import *  # noqa: E402,F403
from airml.settings import LOGGING, STORAGES, redis_cache  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The real Redis these machines run, as in production; each test empties this db
# index (tests/conftest.py), so it must be one nothing else uses. CI picks its own.
TEST_REDIS_URL = os.environ.get("AIRML_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
CACHES = {"default": redis_cache(TEST_REDIS_URL)}
MEDIA_ROOT = tempfile.mkdtemp(prefix="airml-test-media-")
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
STATIC_ROOT = tempfile.mkdtemp(prefix="airml-test-static-")
# Tests speak plain HTTP through the test client and serve uploads through Django.
SECURE_SSL_REDIRECT = False
SERVE_MEDIA = True
# A file a second process (the task worker of tests/e2e/test_bibtex_import.py) can open;
# by default the SQLite test database lives in memory.
if os.environ.get("AIRML_TEST_DB_FILE") and DATABASES["default"]["ENGINE"].endswith(  # noqa: F405
    "sqlite3"
):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["AIRML_TEST_DB_FILE"]}  # noqa: F405
# Tasks run inside the test (immediate) unless a test starts a real worker.
os.environ.setdefault("TASKS_BACKEND", "immediate")
TASKS["default"]["BACKEND"] = {"db": "django_tasks_db.DatabaseBackend"}.get(  # noqa: F405
    os.environ["TASKS_BACKEND"], "django_tasks.backends.immediate.ImmediateBackend"
)
LOGGING = {**LOGGING, "root": {**LOGGING["root"], "level": "WARNING"}}
