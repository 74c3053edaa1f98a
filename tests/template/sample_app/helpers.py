"""Objects registered in templates through dotted paths in OPTIONS."""

from __future__ import annotations

from decimal import Decimal

import jinja2


def money(value: Decimal) -> str:
    return f"${value:,.2f}"


def site_name() -> str:
    return "Cycle Shop"


def is_cheap(value: Decimal) -> bool:
    return value < 10


def shop_context(request) -> dict[str, object]:
    return {"shop": "Cycle Shop", "path_seen": request.path}


def environment(**options) -> jinja2.Environment:
    env = jinja2.Environment(**options)
    env.globals["from_environment"] = "yes"
    return env
