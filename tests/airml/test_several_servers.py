"""Two servers, as two hosts would run them: separate gunicorn processes on separate
ports with production settings, one PostgreSQL, one Redis and one media folder. An
edit or an upload through one is seen through the other on the next request.

Runs only on PostgreSQL (CI: `DATABASE_URL=postgres://... make test`).
"""

import http.cookiejar
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from PIL import Image

from pages.models import SiteSettings
from tests.factories import NewsFactory, UserFactory

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


class BehindTheProxy(http.cookiejar.DefaultCookiePolicy):
    """Send `Secure` cookies over loopback HTTP: the requests say X-Forwarded-Proto: https."""

    def return_ok_secure(self, cookie, request):
        return True


class Browser:
    """A visitor's cookies and the proxy's headers, for one server."""

    def __init__(self, base):
        self.base = base
        jar = http.cookiejar.CookieJar(BehindTheProxy())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def request(self, path, data=None, headers=None):
        headers = {"X-Forwarded-Proto": "https", **(headers or {})}
        if data is not None:  # Django's CSRF check on HTTPS compares Origin and Referer
            headers.update(Origin="https://" + self.base.split("//")[1],
                           Referer="https://" + self.base.split("//")[1] + path)  # fmt: skip
        request = urllib.request.Request(self.base + path, data=data, headers=headers)  # noqa: S310
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read()

    def get(self, path):
        return self.request(path)

    def csrf(self, path):
        status, _, body = self.get(path)
        assert status == 200, (path, status)
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()

    def post(self, path, fields):
        fields = {"csrfmiddlewaretoken": self.csrf(path), **fields}
        return self.request(path, urllib.parse.urlencode(fields).encode())


def multipart(fields, files):
    boundary = "airml-boundary-7c1f"
    body = io.BytesIO()
    for name, value in fields.items():
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                   f"{value}\r\n".encode())  # fmt: skip
    for name, (filename, content, kind) in files.items():
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                   f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode())  # fmt: skip
        body.write(content + b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"


@pytest.fixture
def two_servers(tmp_path):
    """Hosts A and B: each its own gunicorn (2 workers) and var folder."""
    db = settings.DATABASES["default"]
    user, host = db.get("USER") or "postgres", db.get("HOST") or "127.0.0.1"
    address = f"{host}:{db.get('PORT') or 5432}/{connection.settings_dict['NAME']}"
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))}
    base_env.update(
        DJANGO_SETTINGS_MODULE="airml.settings",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="several-servers-test-" + "k" * 50,  # the same on every host
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_TRUSTED_PROXIES="127.0.0.1",
        DATABASE_URL=f"postgres://{user}@{address}",
        REDIS_URL=settings.CACHES["default"]["LOCATION"],
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),  # the shared volume
        DJANGO_SERVE_MEDIA="1",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        WEB_CONCURRENCY="2",
    )  # fmt: skip
    subprocess.run(  # noqa: S603 - the image's build step, once for both
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env={**base_env, "DJANGO_VAR_DIR": str(tmp_path / "build")}, check=True,
        timeout=300,
    )  # fmt: skip
    servers, logs = [], []
    for name in ("a", "b"):
        port = free_port()
        env = {**base_env, "DJANGO_VAR_DIR": str(tmp_path / name),
               "GUNICORN_BIND": f"127.0.0.1:{port}"}  # fmt: skip
        log = (tmp_path / f"gunicorn-{name}.log").open("w")
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "--config", "airml/gunicorn.conf.py",
             "airml.wsgi:application"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        servers.append((f"http://127.0.0.1:{port}", process))
        logs.append(log)
    for base, _ in servers:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310 (loopback)
                break
            except OSError:
                time.sleep(0.2)
    yield [base for base, _ in servers]
    for _, process in servers:
        process.send_signal(signal.SIGTERM)
    for _, process in servers:
        process.wait(timeout=30)
    for log in logs:
        log.close()


def test_an_edit_through_one_server_is_seen_through_the_other_next(two_servers):
    SiteSettings.load()
    NewsFactory(title="Shared news", slug="shared")
    staff = UserFactory(is_staff=True, is_superuser=True, username="editor")
    # The servers check passwords with production's hasher, not the tests' fast one.
    hasher = PBKDF2PasswordHasher()
    staff.password = hasher.encode("a-long-test-password", hasher.salt())
    staff.save()
    a, b = (Browser(base) for base in two_servers)
    visitor_b = Browser(two_servers[1])
    for server in (Browser(two_servers[0]), visitor_b):
        server.get("/news/")
        # Enough visits that both of a server's workers keep their own copy of the page
        # (airml.cache.LocalCopies): the edit below must reach those too.
        for _ in range(8):
            status, headers, body = server.get("/news/")
            assert status == 200 and headers["X-Page-Cache"] == "hit"
            assert b"Brand new menu entry" not in body

    admin = f"/{settings.ADMIN_URL}"
    status, _, _ = a.post(admin + "login/", {"username": "editor",
                                             "password": "a-long-test-password",
                                             "next": admin})  # fmt: skip
    assert status == 200  # followed the redirect to the admin index
    status, _, body = a.post(admin + "pages/menuitem/add/",
                             {"label": "Brand new menu entry", "url": "/new/"})  # fmt: skip
    assert status == 200 and b"Brand new menu entry" in body  # the change list after saving

    status, headers, body = visitor_b.get("/news/")
    assert status == 200 and headers["X-Page-Cache"] == "miss"
    assert b"Brand new menu entry" in body
    assert visitor_b.get("/news/")[1]["X-Page-Cache"] == "hit"

    # An upload through A is served through B: the media folder is shared.
    png = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(png, "PNG")
    body, kind = multipart({"csrfmiddlewaretoken": a.csrf(admin + "pages/menuitem/add/")},
                           {"image": ("dot.png", png.getvalue(), "image/png")})  # fmt: skip
    status, _, answer = a.request("/markdownx/upload/", body, {"Content-Type": kind})
    assert status == 200, answer
    url = re.search(r"\]\(([^)]+)\)", json.loads(answer)["image_code"]).group(1)
    status, headers, image = b.get(urllib.parse.urlsplit(url).path)
    assert status == 200 and image[:8] == b"\x89PNG\r\n\x1a\n"
