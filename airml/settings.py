"""Settings, read from the environment with safe development defaults.

Every variable is documented in README.md and `.env.example`. `DJANGO_DEBUG`
defaults on only in a fresh clone: when neither `DJANGO_ENV=production` nor
`DJANGO_SECRET_KEY` is set. With `DJANGO_DEBUG` off the site refuses the
development secret key; with `DJANGO_ENV=production` (set by the Docker image and
`airml/entrypoint.sh`) it also refuses `DJANGO_DEBUG` on and any secret key
shorter than 50 characters.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ENVIRONMENT = os.environ.get("DJANGO_ENV", "development").strip().lower()
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
IS_PRODUCTION = ENVIRONMENT == "production"

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEV_SECRET_KEY)
# DEBUG is on by default only for local development: a fresh clone's `manage.py`
# needs no variables. Setting DJANGO_ENV=production or DJANGO_SECRET_KEY (what every
# deployment sets) turns the default off; production refuses DEBUG on below.
LOCAL_DEVELOPMENT = not IS_PRODUCTION and "DJANGO_SECRET_KEY" not in os.environ
DEBUG = env_bool("DJANGO_DEBUG", default=LOCAL_DEVELOPMENT)
if IS_PRODUCTION:
    _problems = []
    if DEBUG:
        _problems.append("DJANGO_DEBUG must be off")
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        _problems.append("DJANGO_SECRET_KEY must be set to a random value of 50+ characters")
    if env_bool("DJANGO_ALLOW_DEV_SECRET"):
        _problems.append("DJANGO_ALLOW_DEV_SECRET is for tests only")
    if _problems:
        raise ImproperlyConfigured(
            "Refusing to start with DJANGO_ENV=production: " + "; ".join(_problems) + "."
        )
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY and not env_bool("DJANGO_ALLOW_DEV_SECRET"):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
        "(set DJANGO_DEBUG=1 for local development)."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "airml.apps.AirmlAdminConfig",  # django.contrib.admin with the lab's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.redirects",  # old Hugo URLs -> new pages (301), editable in the admin
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # full-text search on PostgreSQL; harmless on SQLite
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "markdownx",
    "reversion",
    "imagekit",
    "csp",
    "axes",
    "adminsortable2",  # drag-and-drop ordering in the admin (static JS, CSP-clean)
    "django_tasks",
    "django_tasks_db",  # the task queue in our own database (docs/bibtex.md)
    "airml",
    "people",
    "research",
    "news",
    "pages",
    "search",  # after the apps that register kinds of results (people ... pages)
    "importers",
]

MIDDLEWARE = [
    # /healthz and /readyz answer before host checks, redirects and request logs.
    "airml.health.HealthCheckMiddleware",
    "airml.middleware.RequestLogMiddleware",
    "airml.middleware.ProxyHeadersMiddleware",
    # ETag and 304s for every GET; the page cache answers anonymous visitors before
    # the middleware below runs (stored responses already carry its headers).
    "django.middleware.http.ConditionalGetMiddleware",
    "airml.cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "airml.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "airml.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # Old Hugo URLs by Hugo's rules (taxonomies, feeds, pagination), after stored redirects.
    "importers.legacy_urls.LegacyUrlMiddleware",
    "django.contrib.redirects.middleware.RedirectFallbackMiddleware",
]

ROOT_URLCONF = "airml.urls"
SITE_ID = 1
WSGI_APPLICATION = "airml.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pages.context_processors.site",
            ],
        },
    },
]

VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast when PostgreSQL is unreachable, so visitors get the 503 page within
    # about two seconds instead of a hanging request (2 s is libpq's minimum).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", env_int("DJANGO_DB_CONNECT_TIMEOUT", 2)
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # 16 KB pages (from 4 KB) for a new database: a publication row with its abstract,
    # HTML and BibTeX is over 4 KB, and SQLite then reads its text from overflow
    # pages, which made searching 3,000 abstracts twice as slow. An existing file
    # keeps its page size until `VACUUM`.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA page_size = 16384")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (contact mail, BibTeX imports, renditions, link checks; failures
# retried by airml.tasks): queued in the database, run by
# `manage.py db_worker` (the compose `worker` service). TASKS_BACKEND=immediate runs
# tasks inside the request instead (no worker; for small sites and tests).
TASKS = {
    "default": {
        "BACKEND": {"immediate": "django_tasks.backends.immediate.ImmediateBackend"}.get(
            os.environ.get("TASKS_BACKEND", ""), "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}
# Queued on a timer by `manage.py schedule_tasks` (compose's `scheduler`): task -> period.
PERIODIC_TASKS = {
    "pages.tasks.check_external_links": timedelta(hours=env_int("DJANGO_LINK_CHECK_HOURS", 24)),
    # Members' ORCID/OpenAlex works into the publication inbox (research/inbox.py).
    "research.inbox.sync_publications": timedelta(hours=env_int("SOURCES_SYNC_HOURS", 24)),
    # Open citation counts; the task does nothing unless CITATION_COUNTS is on.
    "research.citation_counts.refresh_citation_counts": timedelta(days=7),
}

# Redis when REDIS_URL is set (docker-compose.yml runs one): shared by every worker
# and every server, so an edit handled by one is seen by all on their next request.
# Without it, a local-memory cache for a single development process; in production
# without Redis nothing is cached, since separate workers' memories would disagree.
# An unreachable Redis means uncached pages, never errors (airml.cache_backend).
REDIS_URL = os.environ.get("REDIS_URL", "").strip()


def redis_cache(url):
    return {
        "BACKEND": "airml.cache_backend.ResilientRedisCache",
        "LOCATION": url,
        # Fail fast when Redis is down or hung: a request then goes uncached.
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }


if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
elif IS_PRODUCTION:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                          "LOCATION": "airml", "OPTIONS": {"MAX_ENTRIES": 2000}}}  # fmt: skip
# Full pages for anonymous visitors (airml.cache): kept this many seconds at most
# (0 turns the page cache off); any change to content in these apps makes every
# cached page and the cached site context stale at once (airml.signals).
PAGE_CACHE_SECONDS = 600
CONTENT_CACHE_APPS = ["people", "research", "news", "pages", "redirects", "sites"]

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked-out clients before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    # Writes each upload whole or not at all (a full disk leaves no partial file).
    "default": {"BACKEND": "airml.storage.AtomicFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads larger than this are refused before they reach Pillow.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# django-markdownx: our own sanitising pipeline renders the preview; uploads are
# limited to raster formats Pillow re-encodes (see airml.images).
MARKDOWNX_MARKDOWNIFY_FUNCTION = "airml.markdown.render_markdown"
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/webp"]
MARKDOWNX_UPLOAD_MAX_SIZE = 5 * 1024 * 1024
MARKDOWNX_MEDIA_PATH = "markdown/"
MARKDOWNX_IMAGE_MAX_SIZE = {"size": (2000, 2000), "quality": 85}
MARKDOWNX_SVG_JAVASCRIPT_PROTECTION = True

# Responsive renditions (airml.renditions): django-imagekit writes them next to the
# upload when it is saved; whether a rendition exists is remembered in the cache, so
# rendering an image never queries the database.
IMAGEKIT_DEFAULT_CACHEFILE_BACKEND = "imagekit.cachefiles.backends.Simple"
IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY = "imagekit.cachefiles.strategies.JustInTime"
IMAGEKIT_CACHEFILE_DIR = "renditions"


# Served by `airml.views.serve_media` (nosniff + CSP sandbox) when on; in the compose
# deployment the Caddy proxy serves /media/ from the volume with the same headers.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", default=DEBUG)
MEDIA_MAX_AGE = env_int("DJANGO_MEDIA_MAX_AGE", 86400)

ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip().strip("/") + "/"

# --- Security -------------------------------------------------------------------
# Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (IPs or networks).
# From anyone else those headers are dropped (airml.middleware.ProxyHeadersMiddleware)
# and the client is the TCP peer, so a visitor cannot pose as another address.
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# The admin and the Markdown editor read the token from the form, never the cookie.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-csp: only our own files. No inline scripts or styles anywhere (the admin
# and django-markdownx use external files and set styles through the CSSOM).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}

# Sign-in and sign-out happen in the admin. A `next` that points off the site is
# ignored, and then these apply (Django's defaults, /accounts/profile/ and the
# sign-out URL itself, are a 404 and a 405 here).
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"
LOGOUT_REDIRECT_URL = "pages:home"

# django-axes: after AXES_FAILURE_LIMIT failed logins from one client address that
# address is locked out for the cool-off time. The address comes from
# airml.net.client_ip (X-Forwarded-For only from DJANGO_TRUSTED_PROXIES), so behind
# the proxy an attacker locks out only themselves.
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "airml.net.client_ip"
AXES_LOCKOUT_TEMPLATE = "lockout.html"

# `manage.py restore` refuses archives that unpack to more than this per file or in
# total (and more than the free disk): a small hostile archive can unpack to gigabytes.
RESTORE_MAX_FILE_BYTES = env_int("DJANGO_RESTORE_MAX_FILE_MB", 200) * 1024 * 1024
RESTORE_MAX_TOTAL_BYTES = env_int("DJANGO_RESTORE_MAX_TOTAL_MB", 10240) * 1024 * 1024

# --- Email -----------------------------------------------------------------------
# Optional: only the contact form's notification to the lab's address (Site settings)
# sends mail. Without DJANGO_EMAIL_HOST nothing is sent (messages are still stored
# and listed in the admin); a failing mail server is logged, never shown to visitors.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "").strip()
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.dummy.EmailBackend"
)
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", default=True)
# Seconds a mail server that does not answer may hold the task worker (or, with
# TASKS_BACKEND=immediate, the visitor's request); the message is stored first.
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 3)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_EMAIL_FROM", "webmaster@localhost")

# Publication metadata sources (research/sources, docs/sources.md). The contact address
# goes with every request (Crossref's polite pool, OpenAlex's mailto); empty: none sent.
SOURCES_CONTACT_EMAIL = os.environ.get("SOURCES_CONTACT_EMAIL", "").strip()
OPENALEX_API_KEY = os.environ.get("OPENALEX_API_KEY", "").strip()
SOURCES_TIMEOUT = env_int("SOURCES_TIMEOUT", 15)  # seconds per request
# Open citation counts fetched in the background and shown under each publication.
CITATION_COUNTS = env_bool("CITATION_COUNTS", default=False)

# --- Logs -----------------------------------------------------------------------
# One JSON object per line on stdout (text in development), one line per request
# with its timing from airml.middleware.RequestLogMiddleware.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "text" if DEBUG else "json").strip().lower()
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("DJANGO_LOG_FORMAT must be 'json' or 'text'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "airml.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # Its start-up banner would land in the stdout of every manage.py command.
    "loggers": {"axes.apps": {"level": "WARNING"}},
}
