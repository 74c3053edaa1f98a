"""Choosing which patterns of one resolver level can match a path, without trying them all.

Theory of operation: every pattern has a literal prefix, the text each path it
matches starts with (``"products/"`` for ``path("products/<int:id>/", ...)``;
``None`` for a regex that may match anywhere). The prefix's complete segments
place the pattern in a tree keyed by segment: ``"api/v1/items/<int:id>/"``
sits at ``api`` -> ``v1`` -> ``items``; a pattern without a complete segment
sits at the root. Patterns that are a fixed text end to end (a ``path()``
endpoint without converters) go in a dict instead: path -> first such pattern.

For a path, the candidates are the patterns on the branch of the tree the
path's leading segments walk down, plus the static pattern for the whole path,
in urlconf order. Any pattern left out cannot match, so trying the candidates
in order finds what trying every pattern would: Django's first match, with a
converter's ``ValueError`` falling through to the next candidate.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from asgi_cycle.urls.patterns import RoutePattern


class _Node:
    __slots__ = ("children", "indexes")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.indexes: list[int] = []


class Matcher:
    """The index of one resolver level, built once from its patterns."""

    __slots__ = ("_root", "_static")

    def __init__(self, patterns: Sequence[Any], static_type: type) -> None:
        self._root = _Node()
        self._static: dict[str, int] = {}
        for index, entry in enumerate(patterns):
            pattern = getattr(entry, "pattern", None)
            prefix = getattr(pattern, "literal_prefix", None)
            if (
                type(entry) is static_type
                and isinstance(pattern, RoutePattern)
                and pattern._is_endpoint
                and not pattern.converters
            ):
                # Matched by equality: the dict finds it without trying the others.
                self._static.setdefault(str(pattern), index)
                continue
            node = self._root
            for segment in (prefix or "").split("/")[:-1]:
                node = node.children.setdefault(segment, _Node())
            node.indexes.append(index)

    def candidates(self, path: str) -> list[int]:
        """Indexes of the patterns that may match ``path``, in urlconf order."""
        node = self._root
        found = node.indexes
        start = 0
        while node.children:
            end = path.find("/", start)
            if end == -1:
                break
            child = node.children.get(path[start:end])
            if child is None:
                break
            node = child
            start = end + 1
            if node.indexes:
                found = sorted(found + node.indexes) if found else node.indexes
        static = self._static.get(path)
        if static is None:
            return found
        # The static pattern matches for sure: nothing after it can be reached.
        return [*(index for index in found if index < static), static]


__all__ = ["Matcher"]
