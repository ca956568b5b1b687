"""A real database outage: gunicorn with production settings, PostgreSQL behind a
loopback TCP proxy that the test cuts and restores.

Runs only on PostgreSQL (CI: `DATABASE_URL=postgres://... make test`).
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.tcpproxy import TcpProxy

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

pytestmark = [
    pytest.mark.system,
    pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (set DATABASE_URL)"),
    pytest.mark.django_db(transaction=True),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url):
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
            status, headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        status, headers, body = exc.code, exc.headers, exc.read()
    return status, headers, body.decode(), time.perf_counter() - start


@pytest.fixture
def server(tmp_path):
    db = settings.DATABASES["default"]
    proxy = TcpProxy((db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432))).start()
    port = free_port()
    user = db.get("USER") or "postgres"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="airml.settings",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="outage-test-" + "k" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_TRUSTED_PROXIES="127.0.0.1",
        DATABASE_URL=f"postgres://{user}@127.0.0.1:{proxy.port}/{connection.settings_dict['NAME']}",
        DJANGO_VAR_DIR=str(tmp_path),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
    )
    # The image's build step: hashed static files for the production storage.
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env=env, check=True, timeout=120,
    )  # fmt: skip
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "--config", "airml/gunicorn.conf.py",
         "airml.wsgi:application"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310 (loopback)
            break
        except OSError:
            time.sleep(0.1)
    yield base, proxy, process
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    proxy.stop()
    log.close()


def test_outage_answers_503_fast_and_recovers_without_restart(server):
    base, proxy, process = server
    pages = ["/", "/people/", "/research/", "/news/", "/publications/", "/projects/"]
    for page in pages:  # warm every worker thread's persistent connection
        assert fetch(base + page)[0] == 200
    assert fetch(base + "/readyz")[0] == 200

    proxy.cut()
    # Pages in the full-page cache (airml.cache, with REDIS_URL) are still served
    # during an outage; an unknown query parameter bypasses that cache, so these reach
    # the database.
    during = [fetch(base + page + "?outage=1") for page in pages * 2]
    ready_down = fetch(base + "/readyz")
    alive = fetch(base + "/healthz")

    for status, headers, body, elapsed in during:
        assert status == 503
        assert headers["Retry-After"] == "30"
        assert "Back in a moment" in body and "Traceback" not in body
        assert elapsed < 2.0
    assert ready_down[0] == 503
    assert alive[0] == 200

    proxy.restore()
    after = [fetch(base + page) for page in pages * 2]

    assert [status for status, *_ in after] == [200] * len(after)
    assert fetch(base + "/readyz")[0] == 200
    assert process.poll() is None  # the same gunicorn, never restarted
    slowest = max(elapsed for *_, elapsed in during)
    print(f"\noutage: {len(during)} pages answered 503, slowest in {slowest * 1000:.0f} ms")
