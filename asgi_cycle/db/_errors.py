"""Django's database exceptions, raised in place of each driver's own.

``sqlite3`` and ``asyncpg`` raise unrelated classes for the same failure (a
duplicate key is ``sqlite3.IntegrityError`` on one and
``asyncpg.UniqueViolationError`` on the other). Every statement run through a
``DatabaseWrapper`` re-raises them as the PEP 249 hierarchy below, like
``django.db.utils``; the driver's exception stays on ``__cause__``.
"""

from __future__ import annotations

__all__ = [
    "DataError",
    "DatabaseError",
    "Error",
    "IntegrityError",
    "InterfaceError",
    "InternalError",
    "NotSupportedError",
    "OperationalError",
    "ProgrammingError",
    "translate",
]


class Error(Exception):
    """Base of every database error."""


class InterfaceError(Error):
    """The driver or its connection, rather than the database, failed."""


class DatabaseError(Error):
    """The database reported an error."""


class DataError(DatabaseError):
    """A value does not fit (out of range, bad format, division by zero)."""


class OperationalError(DatabaseError):
    """The database could not run the statement (locked, gone, out of resources)."""


class IntegrityError(DatabaseError):
    """A constraint (unique, foreign key, not null, check) was violated."""


class InternalError(DatabaseError):
    """The database hit an internal problem."""


class ProgrammingError(DatabaseError):
    """The statement is wrong (syntax, unknown table or column)."""


class NotSupportedError(DatabaseError):
    """The database does not support the requested feature."""


_BY_NAME: dict[str, type[Error]] = {
    cls.__name__: cls
    for cls in (
        InterfaceError,
        DatabaseError,
        DataError,
        OperationalError,
        IntegrityError,
        InternalError,
        ProgrammingError,
        NotSupportedError,
    )
}

# asyncpg's SQLSTATE classes (first two characters) -> Django's class.
_SQLSTATE_CLASS: dict[str, type[Error]] = {
    "08": OperationalError,  # connection exception
    "0A": NotSupportedError,
    "22": DataError,
    "23": IntegrityError,
    "25": InternalError,  # invalid transaction state
    "40": OperationalError,  # serialization failure, deadlock
    "42": ProgrammingError,  # syntax error or access rule violation
    "53": OperationalError,  # insufficient resources
    "57": OperationalError,  # operator intervention (shutdown, cancel)
    "XX": InternalError,
}


def translate(exc: BaseException) -> Error | None:
    """Django's exception for a driver exception, or None when it is not a database error."""
    if isinstance(exc, Error):
        return None
    module = type(exc).__module__
    if module == "sqlite3":
        for cls in type(exc).__mro__:
            mapped = _BY_NAME.get(cls.__name__)
            if mapped is not None and cls.__module__ == "sqlite3":
                return mapped(str(exc))
        return None
    if module.startswith("asyncpg"):
        sqlstate = getattr(exc, "sqlstate", None)
        if isinstance(sqlstate, str):
            return _SQLSTATE_CLASS.get(sqlstate[:2], DatabaseError)(str(exc))
        return InterfaceError(str(exc))
    return None
