"""Serialisers; ``json.DjangoJSONEncoder`` encodes dates, decimals and UUIDs."""

from asgi_cycle.core.serializers.json import DjangoJSONEncoder

__all__ = ["DjangoJSONEncoder"]
