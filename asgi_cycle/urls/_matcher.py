"""Finding the first matching pattern of one resolver level without a loop of regexes.

Theory of operation: the patterns of a level are cut into blocks, in order.
A run of two or more endpoint patterns whose regexes can be made
capture-free becomes one block with one alternation regex,
``(a)|(b)|(c)``, compiled once. Python's regex engine tries alternatives
left to right, so ``m.lastindex`` names the first pattern whose regex
matches: Django's first-match-wins order. Every other entry (an include,
a pattern with back-references, an object that only has ``resolve()``) is
a block of its own, checked directly.

The regex only nominates a candidate; the caller still runs that pattern's
own ``match()`` to get its arguments. If the candidate's converter then
refuses the value (``ValueError``), the rest of its block is checked one
pattern at a time, as Django would.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

# A very long alternation compiles slowly and gains little: cut long runs.
_MAX_BLOCK = 400


class Matcher:
    """The blocks of one resolver level, built once from its patterns."""

    __slots__ = ("_blocks",)

    def __init__(self, patterns: Sequence[Any], combinable: Sequence[str | None]) -> None:
        self._blocks: list[tuple[int, int, re.Pattern[str] | None]] = []
        run: list[int] = []

        def flush() -> None:
            if len(run) >= 2:
                regex = "|".join(f"({combinable[i]})" for i in run)
                try:
                    compiled: re.Pattern[str] | None = re.compile(regex)
                except (re.error, RecursionError, OverflowError):
                    compiled = None
                self._blocks.append((run[0], run[-1] + 1, compiled))
            elif run:
                self._blocks.append((run[0], run[0] + 1, None))
            run.clear()

        for index, text in enumerate(combinable):
            if text is None:
                flush()
                self._blocks.append((index, index + 1, None))
                continue
            run.append(index)
            if len(run) >= _MAX_BLOCK:
                flush()
        flush()

    def candidates(self, path: str) -> Iterator[int]:
        """Indexes of the patterns worth trying for ``path``, in Django's order."""
        for start, end, combined in self._blocks:
            if combined is None:
                yield from range(start, end)
                continue
            found = combined.match(path)
            if found is None:
                continue
            first = start + found.lastindex - 1  # type: ignore[operator]
            yield first
            yield from range(first + 1, end)


__all__ = ["Matcher"]
