"""Sessions: ``request.session``, signed-cookie backed by default."""

from __future__ import annotations
