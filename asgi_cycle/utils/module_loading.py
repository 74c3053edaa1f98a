"""Import objects by dotted path, as settings name them."""

from __future__ import annotations

import importlib
from typing import Any


def import_string(dotted_path: str) -> Any:
    """Import ``package.module.Name`` and return ``Name``; ImportError says what failed."""
    try:
        module_path, name = dotted_path.rsplit(".", 1)
    except ValueError as exc:
        raise ImportError(f"{dotted_path!r} is not a dotted path to a module attribute.") from exc
    module = importlib.import_module(module_path)
    try:
        return getattr(module, name)
    except AttributeError as exc:
        raise ImportError(f"Module {module_path!r} does not define {name!r}.") from exc


__all__ = ["import_string"]
