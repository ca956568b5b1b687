"""Background tasks that are tried again when they fail, and the ones run on a timer.

django-tasks (the `django.tasks` API of Django 6, with `django_tasks_db` keeping the
queue in our own database) runs a task once. `retried_task` makes a task that, when
it raises, enqueues itself again after a growing delay (1, 2, 4 minutes by default)
until `attempts` runs have failed; every failed run stays in the queue's table,
listed for Lab admins in the admin ("Task results", filter Failed).

With the immediate backend (`make run`, tests) the task runs inside the request and
is not tried again: nothing there waits for a delay. See docs/architecture.md.
"""

import datetime
import functools
import logging

from django.utils import timezone
from django_tasks import task, task_backends
from django_tasks.backends.immediate import ImmediateBackend

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
BACKOFF = datetime.timedelta(minutes=1)  # before the 2nd run; doubled for each after


def retry_delay(attempt, backoff=BACKOFF):
    """How long after failed run number `attempt` (1-based) the next one starts."""
    return backoff * 2 ** (attempt - 1)


def runs_in_background(a_task):
    """True when enqueueing `a_task` leaves it to a worker (not the immediate backend)."""
    return not isinstance(task_backends[a_task.backend], ImmediateBackend)


def retried_task(func=None, *, attempts=MAX_ATTEMPTS, backoff=BACKOFF):
    """Like `@task()`, tried up to `attempts` times. The run number travels in the
    `attempt` keyword (1 for the first), which the wrapped function does not see."""

    def decorate(func):
        @functools.wraps(func)
        def run(*args, attempt=1, **kwargs):
            try:
                return func(*args, **kwargs)
            except Exception:
                backend = task_backends[the_task.backend]
                if attempt < attempts and backend.supports_defer:
                    delay = retry_delay(attempt, backoff)
                    logger.warning("%s failed (run %s of %s); trying again in %s", the_task.name,
                                   attempt, attempts, delay, exc_info=True)  # fmt: skip
                    the_task.using(run_after=timezone.now() + delay).enqueue(
                        *args, attempt=attempt + 1, **kwargs
                    )
                else:
                    logger.exception("%s failed (run %s of %s); giving up",
                                     the_task.name, attempt, attempts)  # fmt: skip
                raise  # the queue records this run as failed, with its traceback

        the_task = task()(run)
        return the_task

    return decorate(func) if func else decorate
