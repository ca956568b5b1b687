"""docker-compose.yml, Dockerfile and .env.example agree with what the code reads."""

import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
# Every environment variable the web container's code reads.
READERS = [ROOT / "airml" / "settings.py", ROOT / "airml" / "gunicorn.conf.py"]
READ_CALL = re.compile(
    r"(?:os\.environ\.get|os\.environ\[|env_bool|env_list|env_int)\(?\s*\"([A-Z][A-Z0-9_]+)\""
)


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def variables_read():
    names = set()
    for path in READERS:
        names.update(READ_CALL.findall(path.read_text()))
    return names


def test_compose_has_db_web_and_proxy_with_health_checks(compose):
    services = compose["services"]

    assert set(services) == {"db", "redis", "web", "worker", "scheduler", "proxy"}
    for name in ("db", "redis", "web", "proxy"):
        assert services[name]["healthcheck"]["test"], name
        assert services[name]["restart"] == "unless-stopped"
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    assert services["web"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_compose_web_and_worker_share_one_pinned_redis(compose):
    services = compose["services"]

    assert re.fullmatch(r"redis:\d+\.\d+\.\d+-\w+", services["redis"]["image"])
    assert "redis-cli" in services["redis"]["healthcheck"]["test"]
    assert services["web"]["depends_on"]["redis"]["condition"] == "service_healthy"
    for name in ("web", "worker"):
        assert services[name]["environment"]["REDIS_URL"] == "redis://redis:6379/0", name
    assert "DJANGO_CACHE_DIR" not in services["web"]["environment"]
    assert "DJANGO_CACHE_DIR" not in (ROOT / "Dockerfile").read_text()


def test_compose_worker_runs_the_task_queue_with_the_web_settings(compose):
    services = compose["services"]

    worker = services["worker"]
    assert worker["image"] == services["web"]["image"]
    assert worker["command"][:3] == ["python", "manage.py", "db_worker"]
    assert worker["environment"] == services["web"]["environment"]
    assert worker["depends_on"]["web"]["condition"] == "service_healthy"
    scheduler = services["scheduler"]
    assert scheduler["command"] == ["python", "manage.py", "schedule_tasks"]
    assert scheduler["environment"] == services["web"]["environment"]
    assert scheduler["restart"] == "unless-stopped"


def test_compose_keeps_data_and_media_in_named_volumes(compose):
    services, volumes = compose["services"], compose["volumes"]

    assert "db-data:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert "media:/data/media" in services["web"]["volumes"]
    assert "media:/srv/media:ro" in services["proxy"]["volumes"]
    assert {"db-data", "media", "backups"} <= set(volumes)
    assert services["web"]["environment"]["DJANGO_MEDIA_ROOT"] == "/data/media"


def test_web_environment_keys_are_all_read_by_the_code(compose):
    keys = set(compose["services"]["web"]["environment"])
    read = variables_read()

    assert keys - read == set()
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_TRUSTED_PROXIES"} <= keys


def test_env_example_lists_every_variable():
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))

    assert variables_read() - listed == set()
    assert {"SITE_DOMAIN", "POSTGRES_PASSWORD"} <= listed


def test_readme_documents_every_variable():
    readme = (ROOT / "README.md").read_text()

    assert {name for name in variables_read() if f"`{name}`" not in readme} == set()


def test_only_the_proxy_is_trusted_for_forwarded_headers(compose):
    services = compose["services"]
    proxy_ip = services["proxy"]["networks"]["edge"]["ipv4_address"]

    assert services["web"]["environment"]["DJANGO_TRUSTED_PROXIES"] == proxy_ip
    assert "ports" not in services["web"] and "ports" not in services["db"]


CADDYFILE = ROOT / "deploy" / "Caddyfile"


def test_proxy_serves_media_with_the_same_headers_as_django(compose):
    caddyfile = CADDYFILE.read_text()
    media = caddyfile[caddyfile.index("handle_path /media/*") :]
    proxy_env = compose["services"]["proxy"]["environment"]

    assert "root * {$MEDIA_ROOT:/srv/media}" in media and proxy_env["MEDIA_ROOT"] == "/srv/media"
    assert "X-Content-Type-Options nosniff" in media
    assert "Content-Security-Policy sandbox" in media
    assert "reverse_proxy {$UPSTREAM:web:8000}" in caddyfile and proxy_env["UPSTREAM"] == "web:8000"
    # Plain gunicorn workers: Caddy buffers requests and pages, so slow clients
    # never hold a worker.
    assert "buffer_requests" in caddyfile and "max_buffer_size 16MiB" in caddyfile


def test_compose_and_ci_run_the_same_caddyfile_and_version(compose):
    proxy = compose["services"]["proxy"]
    smoke = (ROOT / ".ci" / "entrypoint-smoke").read_text()

    assert "configs" not in compose  # no second, inline copy of the file
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert proxy["image"] == "caddy:2.6.2-alpine"
    assert "caddy run --config deploy/Caddyfile" in smoke
    assert "apt-get install -y -q caddy" in (ROOT / ".ci" / "run").read_text()
    # Directives Caddy 2.6 does not know would make the proxy refuse to start.
    assert not re.search(r"^\s*(request|response)_buffers", CADDYFILE.read_text(), re.M)


def test_caddyfile_limits_bodies_to_16_mib_and_its_pattern_is_exact():
    caddyfile = CADDYFILE.read_text()
    pattern = re.search(r"@too_large header_regexp Content-Length (\S+)", caddyfile).group(1)
    limit = 16 * 1024 * 1024

    assert "max_size 16MiB" in caddyfile
    too_large = [n for n in [*range(limit - 1200, limit + 1200), 10**8, 10**12, 17 * 10**6]
                 if re.fullmatch(pattern, str(n))]  # fmt: skip
    assert min(too_large) == limit + 1
    assert all(n > limit for n in too_large)
    assert re.fullmatch(pattern, "016777217") and not re.fullmatch(pattern, "5000")
    assert len([n for n in range(limit - 1200, limit + 1200) if n > limit]) == len(too_large) - 3


@pytest.mark.skipif(not Path("/usr/bin/caddy").exists(), reason="needs Debian's caddy")
def test_caddyfile_is_valid_for_the_installed_caddy(tmp_path):
    import os
    import subprocess

    env = {**os.environ, "SITE_ADDRESS": "example.org", "XDG_DATA_HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path)}  # fmt: skip
    result = subprocess.run(  # noqa: S603
        ["/usr/bin/caddy", "validate", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr[-2000:]


def test_dockerfile_builds_a_non_root_image_with_static_files():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert dockerfile.startswith("# ") and "FROM python:3.11-slim" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    assert re.search(r"^USER airml$", dockerfile, re.M)
    assert "EXPOSE 8000" in dockerfile
    assert "/healthz" in dockerfile
    assert 'ENTRYPOINT ["/app/airml/entrypoint.sh"]' in dockerfile
    assert (ROOT / "airml" / "entrypoint.sh").stat().st_mode & 0o111


def test_dependencies_are_pinned_exactly():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]

    assert deps and all(re.fullmatch(r"[A-Za-z0-9_.\[\]-]+==[0-9][0-9A-Za-z.]*", d) for d in deps)
    assert any(d.startswith("django-csp==") for d in deps)
    assert any(d.startswith("django-axes==") for d in deps)
