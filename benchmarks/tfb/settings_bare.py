"""The TechEmpower app with an empty middleware stack (the core's own cost)."""

from __future__ import annotations

from benchmarks.tfb.settings import *  # noqa: F403

MIDDLEWARE: list[str] = []
