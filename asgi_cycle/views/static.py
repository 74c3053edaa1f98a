"""``serve()``: static files for development (DEBUG), as Django's ``views.static.serve``.

Use it in a urlconf::

    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": MEDIA_ROOT})

Path safety: the requested path (already percent-decoded by the resolver, so
``%2e%2e`` and ``..%2f`` arrive as ``..`` and ``../``) is joined to the real
path of ``document_root`` and resolved, symlinks included; anything that lands
outside the root (traversal, a sibling folder sharing the root's prefix, a
symlink pointing out) or contains NUL is a 404, never an error, and never
reaches the filesystem in the NUL case. Directories are 404 as well.
"""

from __future__ import annotations

import mimetypes
import os
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

from asgi_cycle.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
)


def safe_path(document_root: str | os.PathLike[str], path: str) -> Path | None:
    """The real path of ``path`` under ``document_root``, or None if it would leave it."""
    if "\x00" in path:
        return None
    root = os.path.realpath(document_root)
    candidate = os.path.realpath(os.path.join(root, path.lstrip("/")))
    # The separator matters: /srv/static-private must not pass for /srv/static.
    if not candidate.startswith(root.rstrip(os.sep) + os.sep):
        return None
    return Path(candidate)


def was_modified_since(header: str | None, mtime: float) -> bool:
    """False when ``If-Modified-Since`` is at or after ``mtime`` (whole seconds)."""
    if not header:
        return True
    try:
        since = parsedate_to_datetime(header).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return True
    return int(mtime) > int(since)


def serve(
    request: HttpRequest, path: str, document_root: str | os.PathLike[str] | None = None
) -> HttpResponse:
    """Send the file ``path`` from ``document_root``; 404 unless it is a file inside it."""
    if document_root is None:
        raise Http404("No document_root given for static files.")
    fullpath = safe_path(document_root, path)
    if fullpath is None:
        raise Http404(f"{path!r} is not under the document root.")
    try:
        stat = fullpath.stat()
    except (OSError, ValueError):
        raise Http404(f"{path!r} does not exist.") from None
    if not fullpath.is_file():
        raise Http404("Directory indexes are not allowed here.")
    last_modified = formatdate(stat.st_mtime, usegmt=True)
    if not was_modified_since(request.META.get("HTTP_IF_MODIFIED_SINCE"), stat.st_mtime):
        response = HttpResponseNotModified()
        response.headers["Last-Modified"] = last_modified
        return response
    content_type, encoding = mimetypes.guess_type(fullpath.name)
    file_response = FileResponse(
        fullpath.open("rb"), content_type=content_type or "application/octet-stream"
    )
    file_response.headers["Last-Modified"] = last_modified
    if encoding:
        file_response.headers["Content-Encoding"] = encoding
    return file_response  # type: ignore[return-value]


__all__ = ["safe_path", "serve", "was_modified_since"]
