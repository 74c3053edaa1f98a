"""Running a statement asyncpg already prepared on a connection, straight on its protocol.

Theory of operation. ``Connection.fetch()`` reaches the wire through five nested
coroutines (``_execute``, ``__execute``, ``_do_execute``, ``_get_statement``, the
executor) and a pool proxy's wrapper. For a statement already in the
connection's statement cache all they do is: check the connection is open, take
its exclusive section, look the statement up, apply the default
``command_timeout``, and call ``Protocol.bind_execute``. ``cached_statement``
finds that statement only when nothing unusual is going on (no query logger, no
operation in progress, connection open, asyncpg's internals present,
``HAS_STATEMENT_PARTS``); otherwise it returns None and the caller runs
``fetch()`` as shipped, which also prepares and caches statements it has not
seen.

``fetch_cached`` handles the two errors ``_do_execute`` handles: a changed type
(``OutdatedSchemaCacheError``: reload the type cache and raise) and a statement
the server no longer accepts (``InvalidCachedStatementError``: drop the pool's
statement caches, and outside a transaction run ``fetch()`` again, which
prepares anew). Cancellation is asyncpg's own: ``bind_execute`` does it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg  # type: ignore[import-untyped]

__all__ = ["HAS_STATEMENT_PARTS", "cached_statement", "fetch_cached"]


def cached_statement(con: Any, sql: str) -> Any:
    """The prepared statement asyncpg cached for ``sql`` on ``con``; None to use ``fetch()``."""
    if (
        not HAS_STATEMENT_PARTS
        or asyncpg.connection.Connection not in type(con).__mro__  # not a proxy, nor None
        or con._query_loggers
        or con._stmt_exclusive_section._acquired
        or con.is_closed()
    ):
        return None
    return con._stmt_cache.get((sql, con._protocol.get_record_class(), False))


async def fetch_cached(con: Any, statement: Any, sql: str, args: Sequence[Any]) -> list[Any]:
    """Every row of ``statement`` (from ``cached_statement``) with ``args``, as asyncpg Records."""
    protocol = con._protocol
    with con._stmt_exclusive_section:
        try:
            rows: list[Any] = await protocol.bind_execute(
                statement, args, "", 0, False, protocol._get_timeout(None)
            )
            return rows
        except asyncpg.exceptions.OutdatedSchemaCacheError:
            await con.reload_schema_state()
            raise
        except asyncpg.exceptions.InvalidCachedStatementError:
            con._drop_global_statement_cache()
            if protocol.is_in_transaction():
                raise
    # Prepared again by asyncpg, as its own retry does.
    again: list[Any] = await con.fetch(sql, *args)
    return again


def _has_statement_parts() -> bool:
    connection = asyncpg.connection.Connection
    protocol = asyncpg.protocol.Protocol
    return (
        all(
            hasattr(connection, name)
            for name in (
                "_query_loggers",
                "_stmt_exclusive_section",
                "_stmt_cache",
                "_protocol",
                "_drop_global_statement_cache",
                "reload_schema_state",
            )
        )
        and hasattr(getattr(asyncpg.connection, "_Atomic", None), "_acquired")
        and all(
            hasattr(protocol, name)
            for name in ("bind_execute", "get_record_class", "_get_timeout", "is_in_transaction")
        )
        and hasattr(asyncpg.exceptions, "OutdatedSchemaCacheError")
        and hasattr(asyncpg.exceptions, "InvalidCachedStatementError")
    )


#: Whether this asyncpg has the connection internals ``fetch_cached`` relies on.
HAS_STATEMENT_PARTS = _has_statement_parts()
