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

Beyond Django's backend: one `redis.Redis` kept per connection pool (Django makes
one per call, 30 % of a hit read from Redis), and `publish`/`subscribe`, through which
every worker hears that pages changed (airml.cache.LocalCopies): `delete_and_announce`
and `clear()` publish it in the same transaction as their change.
"""

import functools
import logging
import time

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.connection import parse_url
from redis.exceptions import RedisError
from redis.retry import Retry

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

                    self._delete_and_announce(VERSION_KEY)
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


class KeptClientRedisCacheClient(RedisCacheClient):
    """Django's Redis client layer, keeping one `redis.Redis` per connection pool.

    Django makes a new `redis.Redis` for every cache call, and redis-py 8 fills its
    table of some 170 reply parsers each time: about 85 µs, 30 % of a cached hit in
    process when read from Redis (290 -> 205 µs, bench/site.py's cached hits). The
    object holds no connection of its own (the pool does, and redis-py resets the pool
    in a forked worker), so one can serve every call.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient

    def channel_name(self, channel):
        """`channel` for this cache's database and key prefix: Redis's channels are
        server-wide, and sites or test runs sharing a server must not hear each other."""
        database = parse_url(self._servers[0]).get("db", self._options.get("db", 0))
        return f"{database}:{self.make_key(channel)}"

    def _announce(self, command):
        """Run `command(pipeline)` and publish that pages changed, in one transaction
        (both or neither: a change unannounced would leave workers' copies in use);
        this worker's own copies (airml.cache.LocalCopies) go at once."""
        from airml.cache import CHANGES_CHANNEL, local_copies

        local_copies.clear()
        with self._cache.get_client(write=True).pipeline(transaction=True) as pipeline:
            command(pipeline)
            pipeline.publish(self.channel_name(CHANGES_CHANNEL), b"")
            pipeline.execute()

    def _delete_and_announce(self, key):
        self._announce(lambda pipeline: pipeline.delete(self.make_and_validate_key(key)))

    def _clear(self):
        self._announce(lambda pipeline: pipeline.flushdb())  # no copy outlives a clear

    def subscribe(self, channel):
        """A redis-py PubSub subscribed to `channel`, on a connection of its own that
        raises on any error rather than retrying: a message sent while it was away
        would be lost unnoticed, so the caller starts again."""
        options = {
            key: value
            for key, value in self._options.items()
            if key not in ("parser_class", "pool_class", "serializer")
        }  # Django's own
        # RESP2: redis-py 8's RESP3 connections may reconnect by themselves on a
        # server's maintenance notice, which is what this connection must not do.
        pool = redis.ConnectionPool.from_url(self._servers[0], retry=Retry(NoBackoff(), 0),
                                             protocol=2, **options)  # fmt: skip
        # A client given a pool leaves it open when it is freed (from_url's would not).
        pubsub = redis.Redis(connection_pool=pool).pubsub()
        try:
            pubsub.subscribe(self.channel_name(channel))
        except BaseException:
            pool.disconnect()
            raise
        return pubsub

    delete_and_announce = _or(lambda *a, **k: None)(_delete_and_announce)
    clear = _or(lambda *a, **k: None)(_clear)
    add = _or(lambda *a, **k: False)(RedisCache.add)
    get = _or(_default)(RedisCache.get)
    set = _or(lambda *a, **k: None)(RedisCache.set)
    touch = _or(lambda *a, **k: False)(RedisCache.touch)
    delete = _or(lambda *a, **k: False)(RedisCache.delete)
    get_many = _or(lambda *a, **k: {})(RedisCache.get_many)
    has_key = _or(lambda *a, **k: False)(RedisCache.has_key)
    set_many = _or(lambda data, *a, **k: list(data))(RedisCache.set_many)
    delete_many = _or(lambda *a, **k: None)(RedisCache.delete_many)
    incr = _or(_missing)(RedisCache.incr)
