"""Taking and giving back a pooled asyncpg connection without a task or a queue wait.

Theory of operation. ``Pool.acquire()`` awaits three nested coroutines and a queue
``get``; ``Pool.release()`` runs the holder's release (a session reset) in a
shielded task, so that a cancelled caller cannot strand a connection mid-reset.
In the common case neither needs to wait for anything: an idle, open connection
of the pool's current generation sits at the top of the pool's queue, and a
connection whose session nothing changed needs no reset. Both functions here do
that case synchronously (no ``await``, so cancellation cannot land half way) and
return a "not handled" value whenever anything is unusual, for the caller to run
asyncpg's own path instead. They rely on asyncpg internals; if any is missing
(``HAS_POOL_PARTS`` false) or of an unexpected type, they always decline.

``acquire_at_once`` hands out the top holder when all of these hold:

- the pool is initialised, neither closing nor closed, and nobody is waiting
  for a connection (a woken waiter keeps its turn);
- the top holder of the queue is idle, has no ``setup`` callback, and its
  connection is open and of the pool's current generation (otherwise asyncpg
  connects or reconnects it);

then does what ``PoolConnectionHolder.acquire`` does for such a holder: stops the
idle timer, wraps the connection in a new proxy and marks the holder in use.

``release_at_once`` gives a connection back when all of these hold:

- the pool is open and the proxy is still attached to its holder;
- the caller vouches the session is clean and the connection is a
  ``SessionConnection`` (one from an ``OPTIONS`` ``connection_class`` keeps
  asyncpg's reset), no transaction is open, no listener is left and the pool
  has no ``reset`` callback;
- the connection is open, not being cancelled, below ``max_queries`` and of the
  pool's current generation (otherwise asyncpg closes or waits for it);

then does what the holder's release does after a reset: the connection's
housekeeping, the holder back in the pool's queue, and the idle timer
(``max_inactive_connection_lifetime``) armed again.
"""

from __future__ import annotations

from typing import Any

import asyncpg  # type: ignore[import-untyped]

__all__ = ["HAS_POOL_PARTS", "SessionConnection", "acquire_at_once", "release_at_once"]


class SessionConnection(asyncpg.Connection):  # type: ignore[misc]
    """asyncpg's connection, able to skip the pool's session reset once."""

    _session_clean = False

    def keep_session(self) -> None:
        """Nothing changed the session: the next release needs no reset query."""
        self._session_clean = True

    def get_reset_query(self) -> str:
        """asyncpg's reset query, or nothing after ``keep_session()``."""
        if self._session_clean:
            self._session_clean = False
            return ""
        query: str = super().get_reset_query()
        return query


def acquire_at_once(pool: Any) -> Any:
    """An idle connection's proxy from ``pool`` without waiting; None if asyncpg must acquire."""
    if not HAS_POOL_PARTS or type(pool) is not asyncpg.Pool:
        return None
    queue: Any = pool._queue
    if (
        not pool._initialized
        or pool._closing
        or pool._closed
        or type(queue) is not _HOLDER_QUEUE
        or queue._getters
        or not queue._queue
    ):
        return None
    holder: Any = queue._queue[-1]
    con: Any = holder._con
    if (
        type(holder) is not asyncpg.pool.PoolConnectionHolder
        or holder._pool is not pool
        or holder._in_use is not None
        or holder._proxy is not None
        or holder._setup is not None
        or con is None
        or con.is_closed()
        or holder._generation != pool._generation
    ):
        return None
    # The queue hands out the topmost open holder first: this one.
    taken = queue.get_nowait()
    assert taken is holder
    holder._maybe_cancel_inactive_callback()
    holder._proxy = proxy = asyncpg.pool.PoolConnectionProxy(holder, con)
    holder._in_use = pool._loop.create_future()
    holder._timeout = None
    return proxy


def release_at_once(pool: Any, proxy: Any) -> bool:
    """Give back a connection whose session nothing changed, without I/O.

    False if asyncpg must release it (then ``keep_session()`` still spares the reset).
    """
    if (
        not HAS_POOL_PARTS
        or type(pool) is not asyncpg.Pool
        or type(proxy) is not asyncpg.pool.PoolConnectionProxy
    ):
        return False
    holder: Any = proxy._holder
    con: Any = proxy._con
    if (
        con is None
        or holder._pool is not pool
        or not pool._initialized
        or pool._closed
        or pool._reset is not None
        or holder._in_use is None
        or SessionConnection not in type(con).__mro__  # asyncpg's isinstance() is lenient
        or con._listeners
        or con._log_listeners
        or con.is_closed()
        or con.is_in_transaction()
        or con._top_xact is not None
        or con._protocol._is_cancelling()
        or con._protocol.queries_count >= holder._max_queries
        or holder._generation != pool._generation
    ):
        return False
    con._on_release()
    holder._timeout = None
    holder._release()
    holder._setup_inactive_callback()
    return True


def _has_pool_parts() -> bool:
    pool_module: Any = asyncpg.pool
    holder = getattr(pool_module, "PoolConnectionHolder", None)
    queue = getattr(pool_module, "_PoolConnectionHolderQueue", None)
    connection = asyncpg.connection.Connection
    if holder is None or queue is None or not hasattr(pool_module, "PoolConnectionProxy"):
        return False
    return (
        all(
            hasattr(holder, name)
            for name in (
                "_pool",
                "_con",
                "_in_use",
                "_proxy",
                "_setup",
                "_max_queries",
                "_generation",
                "_timeout",
                "_release",
                "_maybe_cancel_inactive_callback",
                "_setup_inactive_callback",
            )
        )
        and all(
            hasattr(asyncpg.Pool, name)
            for name in (
                "_queue",
                "_initialized",
                "_closing",
                "_closed",
                "_generation",
                "_loop",
                "_reset",
            )
        )
        and all(hasattr(queue(maxsize=1), name) for name in ("_getters", "_queue", "get_nowait"))
        and all(
            hasattr(connection, name)
            for name in ("_on_release", "_listeners", "_log_listeners", "_protocol", "_top_xact")
        )
        and all(
            hasattr(asyncpg.protocol.Protocol, name)
            for name in ("queries_count", "_is_cancelling")
        )
    )


_HOLDER_QUEUE: Any = getattr(asyncpg.pool, "_PoolConnectionHolderQueue", None)

#: Whether this asyncpg has the pool internals both fast paths rely on.
HAS_POOL_PARTS = _has_pool_parts()
