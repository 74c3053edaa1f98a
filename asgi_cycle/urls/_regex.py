"""Reading URL regexes: the forms reverse() fills in, and literal prefixes.

``normalize(pattern)`` turns a URL regex into the forms ``reverse()`` fills in,
following Django's rules: the first character of a class, one representative
character per escape (``\\d`` -> ``0``), the minimum count of a repeat
(an optional group holding a parameter gives two forms: without it, then
with it), lookarounds dropped, and a ``|`` anywhere gives one empty form.

``literal_prefix(pattern)`` is the text every path a ``^...`` regex matches
must start with; the resolver indexes patterns by it.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Form:
    """One way to fill a pattern: ``literals[0] + slot0 + literals[1] + ...``.

    ``params`` are the arguments the form takes, in order; ``slots`` name the
    value that goes in each gap (a back-reference repeats a parameter).
    """

    literals: tuple[str, ...]
    slots: tuple[str, ...]
    params: tuple[str, ...]

    def then(self, other: Form) -> Form:
        """This form followed by ``other``, as two regexes written one after the other."""
        return Form(
            self.literals[:-1] + (self.literals[-1] + other.literals[0],) + other.literals[1:],
            self.slots + other.slots,
            self.params + other.params,
        )

    def fill(self, values: dict[str, str]) -> str:
        """The text with ``values`` in the slots."""
        parts = [self.literals[0]]
        for slot, literal in zip(self.slots, self.literals[1:], strict=True):
            parts.append(values[slot])
            parts.append(literal)
        return "".join(parts)


EMPTY = Form(("",), (), ())
_ESCAPES = {"A": "", "b": "", "B": "", "Z": "", "d": "0", "D": "x", "s": " ", "S": "x"}
_ESCAPES.update({"w": "x", "W": "!"})
_FLAGS = frozenset("aiLmsux-")
_REPEAT = re.compile(r"\{(\d*)(?:,(\d*))?\}")


class _Disjunction(Exception):
    """A ``|``: Django gives up on reversing such a pattern."""


def product(left: list[Form], right: list[Form]) -> list[Form]:
    """Every form of ``left`` followed by every form of ``right``."""
    return [a.then(b) for a in left for b in right]


def normalize(pattern: str) -> list[Form]:
    """The forms that reverse ``pattern`` (see the module docstring)."""
    try:
        forms, _ = _sequence(pattern, 0, [0])
    except _Disjunction:
        return [EMPTY]
    return forms


def _sequence(p: str, i: int, counter: list[int]) -> tuple[list[Form], int]:
    """Parse items from ``p[i]`` up to an unmatched ``)`` or the end."""
    forms = [EMPTY]
    while i < len(p):
        ch = p[i]
        if ch == ")":
            return forms, i
        if ch == "|":
            raise _Disjunction
        if ch in "^$":
            i += 1
            continue
        item, i = _item(p, i, counter)
        item, i = _quantify(p, i, item)
        forms = product(forms, item)
    return forms, i


def _literal(text: str) -> list[Form]:
    return [Form((text,), (), ())]


def _item(p: str, i: int, counter: list[int]) -> tuple[list[Form], int]:
    """One atom at ``p[i]`` and the index after it."""
    ch = p[i]
    if ch == "\\":
        nxt = p[i + 1] if i + 1 < len(p) else ""
        return _literal(_ESCAPES.get(nxt, nxt)), i + 2
    if ch == "[":
        end = _class_end(p, i)
        first = p[i + 1] if i + 1 < len(p) else ""
        if first == "\\":
            nxt = p[i + 2] if i + 2 < len(p) else ""
            first = _ESCAPES.get(nxt, nxt)
        return _literal(first), end
    if ch != "(":
        return _literal(ch), i + 1
    if not p.startswith("?", i + 1):
        name = f"_{counter[0]}"
        counter[0] += 1
        return [Form(("", ""), (name,), (name,))], _group_end(p, i + 1)
    if p.startswith("?P<", i + 1):
        close = p.index(">", i)
        name = p[i + 4 : close]
        counter[0] += 1
        return [Form(("", ""), (name,), (name,))], _group_end(p, close + 1)
    if p.startswith("?P=", i + 1):
        close = p.index(")", i)
        return [Form(("", ""), (p[i + 4 : close],), ())], close + 1
    j = i + 2
    while j < len(p) and p[j] in _FLAGS:
        j += 1
    if j < len(p) and p[j] in ":>":  # (?:...), (?i:...), (?>...): contents count
        inner, end = _sequence(p, j + 1, counter)
        return inner, end + 1
    # Lookarounds, comments, conditionals and global flags leave nothing in the URL.
    return [EMPTY], _group_end(p, i + 1)


def _quantify(p: str, i: int, item: list[Form]) -> tuple[list[Form], int]:
    """Apply a repeat after an atom: keep its minimum count."""
    if i >= len(p) or p[i] not in "*+?{":
        return item, i
    ch = p[i]
    if ch == "{":
        repeat = _REPEAT.match(p, i)
        if repeat is None or not (repeat[1] or repeat[2]):
            return item, i  # a literal "{"
        minimum, i = int(repeat[1] or 0), repeat.end()
    else:
        minimum, i = (1 if ch == "+" else 0), i + 1
    if i < len(p) and p[i] in "?+":  # lazy or possessive
        i += 1
    has_param = any(form.params for form in item)
    if minimum == 0:
        return ([EMPTY, *item] if has_param else [EMPTY]), i
    repeated = item
    for _ in range(minimum - 1):
        repeated = product(repeated, [Form(f.literals, f.slots, ()) for f in item])
    return repeated, i


def _class_end(p: str, i: int) -> int:
    """Index after the ``]`` closing the class that opens at ``p[i]``."""
    j = i + 1
    if j < len(p) and p[j] == "^":
        j += 1
    if j < len(p) and p[j] == "]":
        j += 1
    while j < len(p) and p[j] != "]":
        j += 2 if p[j] == "\\" else 1
    return j + 1


def _group_end(p: str, i: int) -> int:
    """Index after the ``)`` closing a group whose body starts at ``p[i]``."""
    depth = 0
    while i < len(p):
        ch = p[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = _class_end(p, i)
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                return i + 1
            depth -= 1
        i += 1
    return i


def literal_prefix(pattern: str) -> str | None:
    """The literal text every match of ``^...`` must start with; None if not anchored.

    Stops at the first character that is not a plain literal, and leaves out a
    literal that a repeat follows (``^ab?`` gives ``a``).
    """
    if not pattern.startswith("^") or "|" in pattern:
        return None  # unanchored, or an alternative that may start anywhere
    out: list[str] = []
    i = 1
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            nxt = pattern[i + 1 : i + 2]
            if not nxt or nxt.isalnum() or nxt == "_":
                break  # a class (\d) or an anchor (\Z), not a literal
            ch, step = nxt, 2
        elif ch in ".^$*+?{}[]()":
            break
        else:
            step = 1
        if pattern[i + step : i + step + 1] in ("*", "+", "?", "{"):
            break
        out.append(ch)
        i += step
    return "".join(out)


_WHITESPACE = frozenset(string.whitespace)


def has_whitespace(text: str) -> bool:
    """Whether ``text`` holds any whitespace character."""
    return not _WHITESPACE.isdisjoint(text)


__all__ = ["EMPTY", "Form", "has_whitespace", "literal_prefix", "normalize", "product"]
