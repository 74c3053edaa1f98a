"""Default error views: one short page per status, leaking nothing.

These are what ``handler400`` ... ``handler500`` default to. They are pure (no
I/O), so the handler calls them on the event loop without a thread hop.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from asgi_cycle.http import HttpRequest, HttpResponse

_PAGE = (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    "<title>{title}</title>\n</head>\n<body>\n<h1>{title}</h1><p>{message}</p>\n"
    "</body>\n</html>\n"
)

ERROR_PAGES: dict[int, tuple[str, str]] = {
    400: ("Bad Request (400)", "The server could not understand the request."),
    403: ("403 Forbidden", "You do not have permission to access this resource."),
    404: ("Not Found", "The requested resource was not found on this server."),
    408: ("Request Timeout (408)", "The request body did not arrive in time."),
    413: ("Payload Too Large (413)", "The request body is larger than this server accepts."),
    414: ("URI Too Long (414)", "The request line is longer than this server accepts."),
    500: ("Server Error (500)", "The server hit an error and could not answer the request."),
}


def error_page(status: int) -> bytes:
    """The HTML body of the default page for ``status``."""
    title, message = ERROR_PAGES[status]
    return _PAGE.format(title=escape(title), message=escape(message)).encode()


def plain_error(status: int) -> HttpResponse:
    """The default page for ``status`` as a response, with no request needed."""
    from asgi_cycle.http import HttpResponse

    return HttpResponse(error_page(status), status=status, content_type="text/html")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 page (``handler404``)."""
    return plain_error(404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500 page (``handler500``)."""
    return plain_error(500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400 page (``handler400``)."""
    return plain_error(400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403 page (``handler403``)."""
    return plain_error(403)


def payload_too_large(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """413 page: the body passed ``DATA_UPLOAD_MAX_MEMORY_SIZE``."""
    return plain_error(413)


def request_timeout(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """408 page: the body did not arrive within ``CYCLE_BODY_TIMEOUT``."""
    return plain_error(408)


__all__ = [
    "bad_request",
    "error_page",
    "page_not_found",
    "payload_too_large",
    "permission_denied",
    "plain_error",
    "request_timeout",
    "server_error",
]
