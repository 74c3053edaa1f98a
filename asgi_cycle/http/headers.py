"""``request.headers`` and the ``Accept`` media types, both read from ``request.META``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from asgi_cycle.core.exceptions import BadRequest
from asgi_cycle.utils.datastructures import CaseInsensitiveMapping
from asgi_cycle.utils.http import parse_header_parameters


class HttpHeaders(CaseInsensitiveMapping[str]):
    """The request's HTTP headers, case-insensitive, from META's ``HTTP_*`` keys.

    ``headers["User-Agent"]``, ``headers["user-agent"]`` and
    ``headers["user_agent"]`` are the same header (as in Django).
    """

    HTTP_PREFIX = "HTTP_"
    UNPREFIXED_HEADERS = frozenset({"CONTENT_TYPE", "CONTENT_LENGTH"})

    def __init__(self, environ: Mapping[str, Any], refused: Iterable[str] = ()) -> None:
        headers: dict[str, str] = {}
        for header, value in environ.items():
            name = self.parse_header_name(header)
            if name:
                headers[name] = value
        super().__init__(headers)
        # Headers whose joined value was over the cap: reading them is a bad request.
        self._refused = frozenset(
            name.lower() for name in map(self.parse_header_name, refused) if name
        )

    def __getitem__(self, key: str) -> str:
        name = key.replace("_", "-")
        if self._refused and name.lower() in self._refused:
            raise BadRequest(f"The {name} header is too long.")
        return super().__getitem__(name)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.replace("_", "-").lower() in self._store

    @classmethod
    def parse_header_name(cls, header: str) -> str | None:
        """``HTTP_USER_AGENT`` -> ``User-Agent``; None for non-header META keys."""
        if header.startswith(cls.HTTP_PREFIX):
            header = header[len(cls.HTTP_PREFIX) :]
        elif header not in cls.UNPREFIXED_HEADERS:
            return None
        return header.replace("_", "-").title()

    @classmethod
    def to_wsgi_name(cls, header: str) -> str:
        """``User-Agent`` -> ``HTTP_USER_AGENT`` (``Content-Type`` -> ``CONTENT_TYPE``)."""
        header = header.replace("-", "_").upper()
        if header in cls.UNPREFIXED_HEADERS:
            return header
        return f"{cls.HTTP_PREFIX}{header}"

    @classmethod
    def to_asgi_name(cls, header: str) -> str:
        """``User-Agent`` -> ``USER_AGENT``."""
        return header.replace("-", "_").upper()

    @classmethod
    def to_wsgi_names(cls, headers: Mapping[str, Any]) -> dict[str, Any]:
        """A dict of headers keyed by their META names."""
        return {cls.to_wsgi_name(name): value for name, value in headers.items()}

    @classmethod
    def to_asgi_names(cls, headers: Mapping[str, Any]) -> dict[str, Any]:
        """A dict of headers keyed by their upper-case underscore names."""
        return {cls.to_asgi_name(name): value for name, value in headers.items()}


#: Most media ranges looked at in one Accept header (bounded work on hostile input).
MAX_ACCEPT_RANGES = 100


class MediaType:
    """One media range of an ``Accept`` header, e.g. ``text/*;q=0.8``."""

    def __init__(self, media_type_raw_line: str | bytes) -> None:
        line = (
            media_type_raw_line.decode("ascii", "replace")
            if isinstance(media_type_raw_line, bytes)
            else media_type_raw_line or ""
        )
        full_type, self.params = parse_header_parameters(line)
        self.main_type, _, self.sub_type = full_type.partition("/")

    def __str__(self) -> str:
        params = "".join(f"; {k}={v}" for k, v in self.params.items())
        return f"{self.main_type}{'/' + self.sub_type if self.sub_type else ''}{params}"

    def __repr__(self) -> str:
        return f"<{type(self).__qualname__}: {self}>"

    @property
    def is_all_types(self) -> bool:
        """Whether this is ``*/*``."""
        return self.main_type == "*" and self.sub_type == "*"

    @property
    def quality(self) -> float:
        """The ``q`` parameter (1 when absent or invalid)."""
        try:
            quality = float(self.params.get("q", 1))
        except ValueError:
            return 1.0
        return quality if 0 <= quality <= 1 else 1.0

    def match(self, other: str | MediaType) -> bool:
        """Whether the concrete type ``other`` falls in this range."""
        if not other:
            return False
        if not isinstance(other, MediaType):
            other = MediaType(other)
        main_types = (self.main_type, other.main_type)
        sub_types = (self.sub_type, other.sub_type)
        if not all(main_types) or not all(sub_types):
            return False
        if "*" not in main_types and self.main_type != other.main_type:
            return False
        return "*" in sub_types or self.sub_type == other.sub_type


def parse_accept_header(header: str) -> list[MediaType]:
    """The media ranges of an Accept header, best quality first (at most 100 looked at)."""
    ranges = [
        MediaType(token) for token in header.split(",", MAX_ACCEPT_RANGES)[:MAX_ACCEPT_RANGES]
    ]
    ranges = [media for media in ranges if media.main_type and media.quality > 0]
    return sorted(ranges, key=lambda media: media.quality, reverse=True)


__all__ = ["HttpHeaders", "MediaType", "parse_accept_header"]
