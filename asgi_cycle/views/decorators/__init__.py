"""View decorators: ``http`` (allowed methods, conditional GET) and ``csrf``."""

from __future__ import annotations

__all__: list[str] = []
