"""Django's Redis cache, with an unreachable Redis treated as an empty cache.

Redis only ever holds copies (pages, the site context, the content version), so
when it is stopped or unreachable the site serves uncached pages rather than
errors: reads miss, writes are dropped. The connection pool reconnects by itself,
so pages are cached again as soon as Redis is back, without a restart. Short
socket timeouts (settings.CACHES) keep a hung Redis from holding requests.

An edit made while Redis was down could not drop the content version, so the
pages cached before it would come back with Redis: a process that saw Redis fail
drops the version once on its first successful call afterwards (the editing
process always has seen it fail).
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("airml.cache")
WARN_EVERY = 60  # seconds: one warning a minute per process while Redis is down
_last_warning = 0.0
_failed = False  # this process saw Redis fail since it last dropped the version


def _unavailable(error):
    global _failed, _last_warning
    _failed = True
    now = time.monotonic()
    if now - _last_warning >= WARN_EVERY:
        _last_warning = now
        logger.warning("Redis unreachable, serving without the cache: %s", error)


def _or(fallback):
    """Run the method; on a Redis error return `fallback(*args, **kwargs)` instead."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            global _failed
            try:
                if _failed:
                    from airml.cache import VERSION_KEY

                    RedisCache.delete(self, VERSION_KEY)
                    _failed = False
                    logger.info("Redis reachable again; cached pages made stale once")
                return method(self, *args, **kwargs)
            except RedisError as error:
                _unavailable(error)
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


def _default(key, default=None, *args, **kwargs):
    return default


def _missing(key, *args, **kwargs):
    raise ValueError(f"Key {key!r} not found (Redis unreachable)")  # as for a missing key


class ResilientRedisCache(RedisCache):
    add = _or(lambda *a, **k: False)(RedisCache.add)
    get = _or(_default)(RedisCache.get)
    set = _or(lambda *a, **k: None)(RedisCache.set)
    touch = _or(lambda *a, **k: False)(RedisCache.touch)
    delete = _or(lambda *a, **k: False)(RedisCache.delete)
    get_many = _or(lambda *a, **k: {})(RedisCache.get_many)
    has_key = _or(lambda *a, **k: False)(RedisCache.has_key)
    set_many = _or(lambda data, *a, **k: list(data))(RedisCache.set_many)
    delete_many = _or(lambda *a, **k: None)(RedisCache.delete_many)
    clear = _or(lambda *a, **k: None)(RedisCache.clear)
    incr = _or(_missing)(RedisCache.incr)
