"""Gunicorn settings for the container and CI, read from the environment.

Plain (`sync`) workers, one request at a time each, behind the proxy (Caddy), which
buffers each request body and page (docker-compose.yml), so a slow client never holds
a worker: on loopback they served 3 times the requests/s of threaded workers with
keep-alive (bench/site.py). GUNICORN_THREADS above 1 switches
to threaded workers. The master restarts a worker that dies while the others keep
serving. Each request is logged once, as JSON, by Django's
airml.middleware.RequestLogMiddleware, so gunicorn's own access log is off.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")  # noqa: S104 (inside the container)
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Pages are CPU-bound: threads only contend for the GIL; more workers use more cores.
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5  # used by threaded workers only
# Recycle workers now and then, so a slow leak never grows unbounded; the jitter
# keeps them from restarting together. Pages and the site context live in Redis,
# so a new worker starts warm (its own page copies and kept listing parts refill).
# Not much more often: a restart costs a worker 0.15-0.4 s, and every 1,000 requests
# cost a third of the cached requests/s under wrk (bench/site.py: 3,200 against 5,100
# for 10,000, which gives the same as 50,000).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = max_requests // 10
preload_app = True
# Worker heartbeats in RAM: on a container's overlay disk they can stall workers.
SHM = "/dev/shm"  # noqa: S108
worker_tmp_dir = SHM if os.path.isdir(SHM) else None
control_socket_disable = True

accesslog = None
errorlog = "-"
loglevel = os.environ.get("DJANGO_LOG_LEVEL", "info").lower()
if os.environ.get("DJANGO_LOG_FORMAT", "json") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "airml.logs.JsonFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json",
            }
        },
        "loggers": {
            "gunicorn.error": {
                "handlers": ["console"],
                "level": loglevel.upper(),
                "propagate": False,
            }
        },
    }
