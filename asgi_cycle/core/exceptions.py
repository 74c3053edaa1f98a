"""Exceptions of the request-response cycle, as Django names them.

Hierarchy::

    Exception
    ├── ImproperlyConfigured        settings are wrong; raised at startup
    ├── MiddlewareNotUsed           a middleware factory opts out of the chain
    ├── ObjectDoesNotExist          base of every Model.DoesNotExist  -> 404 via shortcuts
    ├── MultipleObjectsReturned     base of every Model.MultipleObjectsReturned
    ├── PermissionDenied            -> 403
    ├── BadRequest                  -> 400
    ├── SuspiciousOperation         -> 400 (logged on the security logger)
    │   ├── DisallowedHost
    │   ├── DisallowedRedirect
    │   ├── TooManyFieldsSent
    │   ├── TooManyFilesSent
    │   ├── RequestDataTooBig       -> 413 here (Django answers 400)
    │   └── SuspiciousFileOperation
    ├── RequestAborted              the client went away; no response is sent
    ├── SynchronousOnlyOperation    a sync-only call was made on the event loop thread
    ├── FieldError, ValidationError
    └── EmptyResultSet
"""

from __future__ import annotations

from typing import Any


class ImproperlyConfigured(Exception):
    """The settings or the code that reads them are wrong; fix the configuration."""


class MiddlewareNotUsed(Exception):
    """Raised by a middleware factory to leave itself out of the chain."""


class ObjectDoesNotExist(Exception):
    """The requested object does not exist."""

    silent_variable_failure = True


class MultipleObjectsReturned(Exception):
    """A query expected one object and found more."""


class PermissionDenied(Exception):
    """The user may not do this; answered with 403."""


class BadRequest(Exception):
    """The request is malformed; answered with 400."""


class SuspiciousOperation(Exception):
    """The user did something suspicious; answered with 400."""


class DisallowedHost(SuspiciousOperation):
    """The Host header is not in ALLOWED_HOSTS."""


class DisallowedRedirect(SuspiciousOperation):
    """A redirect to an unsafe scheme or host was attempted."""


class TooManyFieldsSent(SuspiciousOperation):
    """More than DATA_UPLOAD_MAX_NUMBER_FIELDS fields were sent."""


class TooManyFilesSent(SuspiciousOperation):
    """More than DATA_UPLOAD_MAX_NUMBER_FILES files were sent."""


class RequestDataTooBig(SuspiciousOperation):
    """The body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE; answered with 413."""


class SuspiciousFileOperation(SuspiciousOperation):
    """A file path left the directory it must stay in."""


class RequestAborted(Exception):
    """The client disconnected before the request could be served."""


class SynchronousOnlyOperation(Exception):
    """A blocking call was made on the event loop thread; use the async twin."""


class FieldError(Exception):
    """A field name in a query or model definition is wrong."""


class FieldDoesNotExist(Exception):
    """The model has no field by that name."""


class EmptyResultSet(Exception):
    """A query can match nothing; no SQL needs to run."""


class ValidationError(Exception):
    """Data failed validation; carries a message per field where known."""

    def __init__(
        self,
        message: str | list[str] | dict[str, list[str]] | dict[str, str],
        code: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message, code, params)
        self.code = code
        self.params = params
        if isinstance(message, dict):
            self.error_dict: dict[str, list[str]] = {
                field: list(msgs) if isinstance(msgs, list) else [msgs]
                for field, msgs in message.items()
            }
            self.error_list = [m for msgs in self.error_dict.values() for m in msgs]
        elif isinstance(message, list):
            self.error_list = list(message)
        else:
            self.error_list = [message]
        self.message = self.error_list[0] if len(self.error_list) == 1 else None

    @property
    def message_dict(self) -> dict[str, list[str]]:
        """The messages keyed by field name (only for a per-field error)."""
        return self.error_dict

    @property
    def messages(self) -> list[str]:
        """Every message, flattened."""
        return list(self.error_list)

    def __str__(self) -> str:
        if hasattr(self, "error_dict"):
            return repr(self.error_dict)
        return repr(self.error_list) if len(self.error_list) > 1 else str(self.error_list[0])


__all__ = [
    "BadRequest",
    "DisallowedHost",
    "DisallowedRedirect",
    "EmptyResultSet",
    "FieldDoesNotExist",
    "FieldError",
    "ImproperlyConfigured",
    "MiddlewareNotUsed",
    "MultipleObjectsReturned",
    "ObjectDoesNotExist",
    "PermissionDenied",
    "RequestAborted",
    "RequestDataTooBig",
    "SuspiciousFileOperation",
    "SuspiciousOperation",
    "SynchronousOnlyOperation",
    "TooManyFieldsSent",
    "TooManyFilesSent",
    "ValidationError",
]
