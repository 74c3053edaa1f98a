"""Write docs/reference.md: every public name of asgi_cycle and wsgi_shim, with its summary.

Run from the repository root: ``.venv/bin/python docs/make_reference.py``.
A module's public names are its ``__all__``; a name that a parent package
re-exports is listed once, under the package, which is the import path to use.
"""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "reference.md"
HEADER = """\
# API reference

Every public name of `asgi_cycle` and `wsgi_shim`: each public module's
`__all__`, with the first paragraph of the name's docstring. A name that a parent
package re-exports is listed once, under the package: that is the import path to
use. The guide pages ([README.md](README.md)) explain how the pieces fit together.

Generated from the code by `docs/make_reference.py`; run it again after changing a
public name or its docstring.
"""


def public_modules() -> list[ModuleType]:
    """Every importable module of both packages whose dotted path has no ``_`` part."""
    import asgi_cycle
    import wsgi_shim

    found: list[ModuleType] = []
    for package in (asgi_cycle, wsgi_shim):
        found.append(package)
        prefix = f"{package.__name__}."
        for info in pkgutil.walk_packages(package.__path__, prefix=prefix):
            if any(part.startswith("_") for part in info.name.split(".")):
                continue  # private modules, and __main__ (it runs the command line)
            found.append(importlib.import_module(info.name))
    return sorted(found, key=lambda module: module.__name__)


def kind(obj: Any) -> str:
    """What ``obj`` is, in a word or two."""
    if inspect.isclass(obj):
        return "exception" if issubclass(obj, BaseException) else "class"
    if inspect.iscoroutinefunction(obj):
        return "async function"
    if inspect.isfunction(obj):
        return "function"
    return f"`{type(obj).__name__}`"


def summary(obj: Any) -> str:
    """The first paragraph of a class's or function's docstring, on one line."""
    if not (inspect.isclass(obj) or inspect.isfunction(obj)):
        return ""
    doc = inspect.getdoc(obj) or ""
    return " ".join(doc.split("\n\n")[0].split()).replace("|", "\\|")


def render() -> str:
    """The whole page."""
    listed: dict[int, str] = {}
    parts = [HEADER]
    for module in public_modules():
        rows = []
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                home = listed.setdefault(id(obj), module.__name__)
                if home != module.__name__ and module.__name__.startswith(f"{home}."):
                    continue  # already listed under the package that re-exports it
            rows.append(f"| `{name}` | {kind(obj)} | {summary(obj)} |")
        if not rows:
            continue
        doc = " ".join((module.__doc__ or "").strip().split("\n\n")[0].split())
        parts.append(f"\n## `{module.__name__}`\n\n{doc}\n\n| name | kind | summary |\n")
        parts.append("|---|---|---|\n" + "\n".join(rows) + "\n")
    return "".join(parts)


def main() -> None:
    """Write the page."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("ASGI_CYCLE_SETTINGS", "tests.settings")
    OUTPUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
