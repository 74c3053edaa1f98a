"""The URL dispatcher's exceptions.

Hierarchy::

    Exception
    ├── Http404
    │   └── Resolver404    no pattern matched; args[0] = {"path": ..., "tried": [[pattern, ...]]}
    ├── NoReverseMatch     reverse() found no pattern for the name and arguments
    └── ViewDoesNotExist   a dotted view path (handler404 = "...") cannot be imported
"""

from __future__ import annotations

from asgi_cycle.http.response import Http404


class Resolver404(Http404):
    """No URL pattern matched the path; ``args[0]`` holds ``path`` and the patterns ``tried``."""


class NoReverseMatch(Exception):
    """``reverse()`` found no pattern for the view name and arguments given."""


class ViewDoesNotExist(Exception):
    """A view named by a dotted path cannot be imported or is not callable."""


__all__ = ["NoReverseMatch", "Resolver404", "ViewDoesNotExist"]
