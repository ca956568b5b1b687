"""Production settings: refusals at start-up and a clean `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET = "x" * 20 + "a-long-random-production-secret-for-tests-" + "y" * 10


def run(code, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base.pop("DATABASE_URL", None)
    base.update({"DJANGO_SETTINGS_MODULE": "airml.settings", **env})
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip


SETUP = "import django; django.setup(); print('started')"


def test_production_refuses_debug_on():
    result = run(SETUP, DJANGO_ENV="production", DJANGO_DEBUG="1", DJANGO_SECRET_KEY=GOOD_SECRET)

    assert result.returncode != 0
    assert "Refusing to start with DJANGO_ENV=production: DJANGO_DEBUG must be off" in (
        result.stderr
    )


def test_production_refuses_default_and_short_secret_keys():
    missing = run(SETUP, DJANGO_ENV="production")
    short = run(SETUP, DJANGO_ENV="production", DJANGO_SECRET_KEY="too-short")

    for result in (missing, short):
        assert result.returncode != 0
        assert "DJANGO_SECRET_KEY must be set to a random value of 50+ characters" in result.stderr


def test_production_refuses_the_test_only_escape_hatch():
    result = run(
        SETUP, DJANGO_ENV="production", DJANGO_SECRET_KEY=GOOD_SECRET, DJANGO_ALLOW_DEV_SECRET="1"
    )

    assert result.returncode != 0
    assert "DJANGO_ALLOW_DEV_SECRET is for tests only" in result.stderr


def test_production_starts_with_a_real_secret():
    result = run(SETUP, DJANGO_ENV="production", DJANGO_SECRET_KEY=GOOD_SECRET)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


def test_check_deploy_passes_at_warning_level_with_production_settings(tmp_path):
    code = (
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    )
    result = run(
        code,
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=GOOD_SECRET,
        DJANGO_ALLOWED_HOSTS="lab.example.org",
        DJANGO_VAR_DIR=str(tmp_path),
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_postgres_connections_time_out_quickly():
    code = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS']['connect_timeout'])"
    )
    result = run(code, DJANGO_DEBUG="1", DATABASE_URL="postgres://u:p@db:5432/airml")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2"


DEBUG_IS = "from django.conf import settings; print(settings.DEBUG)"


def test_fresh_clone_runs_manage_py_without_any_variable(tmp_path):
    code = (
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check'])"
    )
    result = run(code, DJANGO_VAR_DIR=str(tmp_path))
    debug = run(DEBUG_IS)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert debug.stdout.strip() == "True"


def test_debug_default_is_off_once_a_secret_key_or_production_is_set():
    with_key = run(DEBUG_IS, DJANGO_SECRET_KEY=GOOD_SECRET)
    production = run(DEBUG_IS, DJANGO_ENV="production", DJANGO_SECRET_KEY=GOOD_SECRET)

    assert with_key.stdout.strip() == "False", with_key.stderr
    assert production.stdout.strip() == "False", production.stderr


def test_entrypoint_without_a_secret_key_fails_closed(tmp_path):
    # The container's entry point, with nothing set: production, so no dev default.
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base.pop("DATABASE_URL", None)
    base.update({"PYTHON": sys.executable, "DJANGO_VAR_DIR": str(tmp_path)})
    result = subprocess.run(  # noqa: S603
        ["/bin/sh", str(ROOT / "airml" / "entrypoint.sh")], cwd=ROOT, env=base,
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set to a random value of 50+ characters" in result.stderr
    assert "Booting worker" not in result.stderr  # gunicorn never started
