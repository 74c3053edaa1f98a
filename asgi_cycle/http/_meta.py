"""Building ``request.META`` from ASGI headers, in one linear pass with a length cap."""

from __future__ import annotations

from typing import Any

from asgi_cycle.core.exceptions import BadRequest


class GuardedMeta(dict[str, Any]):
    """META when some header was over the cap: reading that header is a bad request."""

    def __init__(self, data: dict[str, Any], refused: set[str]) -> None:
        super().__init__(data)
        self.refused = refused

    def __getitem__(self, key: str) -> Any:
        if key in self.refused:
            raise BadRequest(f"The {key} header is too long.")
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        """Like ``dict.get``, but a refused header raises ``BadRequest``."""
        if key in self.refused:
            raise BadRequest(f"The {key} header is too long.")
        return super().get(key, default)


#: ASGI header name -> META key, filled as names are seen (bounded: names are client input).
_META_NAMES: dict[bytes, str] = {
    b"content-type": "CONTENT_TYPE",
    b"content-length": "CONTENT_LENGTH",
}
_META_NAMES_MAX = 512


def _meta_name(raw_name: bytes) -> str:
    name = "HTTP_" + raw_name.decode("latin-1").upper().replace("-", "_")
    if len(_META_NAMES) < _META_NAMES_MAX:
        _META_NAMES[raw_name] = name
    return name


def add_headers(meta: dict[str, Any], raw_headers: Any, cap: int | None) -> set[str]:
    """Put the ASGI headers into ``meta``; return the names refused for length.

    Names with ``_`` are dropped (BAD_INPUT 29: ``X_Forwarded_Proto`` must not
    pass for ``X-Forwarded-Proto``). Repeats are joined with ``,`` (Cookie with
    ``; ``) in one pass; once a value or a joined value passes ``cap`` it stops
    growing and the name is refused (BAD_INPUT 28), so the work stays linear.
    """
    names = _META_NAMES
    limit = cap if cap is not None else -1
    repeated: dict[str, list[str]] | None = None
    sizes: dict[str, int] = {}
    refused: set[str] = set()
    for raw_name, raw_value in raw_headers:
        name = names.get(raw_name)
        if name is None:
            if b"_" in raw_name:
                continue
            name = _meta_name(raw_name)
        value = raw_value.decode("latin-1")
        if name not in meta:
            if limit >= 0 and len(value) > limit:
                refused.add(name)
                value = ""
            meta[name] = value
            continue
        # A repeated header (rare): join once at the end, counting the size as it grows.
        if name in refused:
            continue
        if repeated is None:
            repeated = {}
        values = repeated.get(name)
        if values is None:
            values = repeated[name] = [meta[name]]
            sizes[name] = len(values[0])
        sizes[name] += 2 + len(value)
        if limit >= 0 and sizes[name] > limit:
            refused.add(name)
            meta[name] = ""
            del repeated[name]
            continue
        values.append(value)
    if repeated:
        for name, values in repeated.items():
            meta[name] = ("; " if name == "HTTP_COOKIE" else ",").join(values)
    return refused


__all__ = ["GuardedMeta", "add_headers"]
