"""`manage.py schedule_tasks`: put the periodic tasks (settings.PERIODIC_TASKS) on
the worker's queue, each once per its period; the compose `scheduler` service.

django-tasks has no scheduler. This loop is the plain one: every `--interval`
seconds it looks in the queue's own table for the last time each task was queued
and queues it again when its period has passed. The queue is the only state, so a
restart, or two schedulers at once, never runs a task twice in one period.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task_backends
from django_tasks.utils import get_module_path
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult


def enqueue_due(now=None):
    """Queue each periodic task not queued within its period; the names queued."""
    now = now or timezone.now()
    queued = []
    for path, period in settings.PERIODIC_TASKS.items():
        task = import_string(path)
        recent = DBTaskResult.objects.filter(
            task_path=get_module_path(task.func), enqueued_at__gt=now - period
        )
        if not recent.exists():
            task.enqueue()
            queued.append(path)
    return queued


class Command(BaseCommand):
    help = "Queue the periodic tasks (settings.PERIODIC_TASKS) when they are due, forever."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=300,
                            help="Seconds between two looks (default 300).")  # fmt: skip
        parser.add_argument("--once", action="store_true", help="Look once and exit.")

    def handle(self, *args, interval, once, **options):
        if not isinstance(task_backends["default"], DatabaseBackend):
            raise CommandError(
                "schedule_tasks queues tasks for `manage.py db_worker`; with "
                "TASKS_BACKEND=immediate there is no queue (run the commands directly)."
            )
        while True:
            for path in enqueue_due():
                self.stdout.write(f"Queued {path}")
            if once:
                return
            time.sleep(interval)
            close_old_connections()  # drop a connection that died while we slept
