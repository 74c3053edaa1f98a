"""``serve()``: static files for development (DEBUG), as Django's ``views.static.serve``.

Use it in a urlconf::

    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": MEDIA_ROOT})

Path safety: the requested path (already percent-decoded by the resolver, so
``%2e%2e`` and ``..%2f`` arrive as ``..`` and ``../``) is joined to the real
path of ``document_root`` and resolved, symlinks included; anything that lands
outside the root (traversal, a sibling folder sharing the root's prefix, a
symlink pointing out) or contains NUL is a 404, never an error, and never
reaches the filesystem in the NUL case. Directories are 404 unless
``show_indexes=True``, which lists their visible entries (names escaped).
"""

from __future__ import annotations

import mimetypes
import os
from email.utils import formatdate, parsedate_to_datetime
from html import escape
from pathlib import Path
from urllib.parse import quote

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
    if candidate != root and not candidate.startswith(root.rstrip(os.sep) + os.sep):
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


def directory_index(path: str, fullpath: Path) -> HttpResponse:
    """An HTML list of the visible entries of a folder (``show_indexes``)."""
    entries = sorted(
        (entry.name + ("/" if entry.is_dir() else ""))
        for entry in fullpath.iterdir()
        if not entry.name.startswith(".")
    )
    title = escape(f"Index of {path or '/'}")
    items = "".join(
        f'<li><a href="{escape(quote(name))}">{escape(name)}</a></li>' for name in entries
    )
    parent = '<li><a href="../">../</a></li>' if path.strip("/") else ""
    return HttpResponse(
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><h1>{title}</h1><ul>{parent}{items}</ul></body></html>\n"
    )


def serve(
    request: HttpRequest,
    path: str,
    document_root: str | os.PathLike[str] | None = None,
    show_indexes: bool = False,
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
    if fullpath.is_dir():
        if show_indexes:
            return directory_index(path, fullpath)
        raise Http404("Directory indexes are not allowed here.")
    if not fullpath.is_file():
        raise Http404(f"{path!r} is not a regular file.")
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


__all__ = ["directory_index", "safe_path", "serve", "was_modified_since"]
