"""Every public function, class and method of ``asgi_cycle`` and ``wsgi_shim`` has a docstring.

Public means listed in a module's ``__all__`` and defined in that module (a name
re-exported from elsewhere is checked where it is defined). For a public class,
every public method it has (its own or inherited from a class of these packages,
dunder methods excluded) needs a docstring of its own: an override does not
borrow its parent's.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

import asgi_cycle
import wsgi_shim

PACKAGES = (asgi_cycle, wsgi_shim)
OURS = tuple(f"{package.__name__}." for package in PACKAGES)


def _is_ours(module_name: str | None) -> bool:
    return bool(module_name) and (
        module_name in {p.__name__ for p in PACKAGES} or str(module_name).startswith(OURS)
    )


def _modules() -> list[ModuleType]:
    found = []
    for package in PACKAGES:
        found.append(package)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
            if info.name.endswith(".__main__"):
                continue  # runs the command line when imported
            found.append(importlib.import_module(info.name))
    return found


MODULES = _modules()


def _own_doc(obj: Any) -> str:
    """The docstring written on ``obj`` itself (not inherited, not generated)."""
    if inspect.isclass(obj):
        doc = vars(obj).get("__doc__")
        if dataclasses.is_dataclass(obj) and doc and doc.startswith(f"{obj.__name__}("):
            return ""  # the signature dataclasses write when the class has no docstring
        return (doc or "").strip()
    return (getattr(obj, "__doc__", None) or "").strip()


def _function_of(attribute: Any) -> Any:
    """The function behind a method-like class attribute, or None for anything else."""
    if isinstance(attribute, staticmethod | classmethod):
        return attribute.__func__
    if inspect.isfunction(attribute):
        return attribute
    return None


def _public_methods(cls: type) -> Iterator[tuple[str, Any]]:
    """``(qualified name, function)`` for each public method, own or inherited from us."""
    seen: set[str] = set()
    for klass in cls.__mro__:
        if not _is_ours(klass.__module__):
            continue
        for name, attribute in vars(klass).items():
            if name.startswith("_") or name in seen:
                continue
            seen.add(name)
            function = _function_of(attribute)
            if function is not None:
                yield f"{klass.__qualname__}.{name}", function


def _public_objects(module: ModuleType) -> Iterator[tuple[str, Any]]:
    for name in getattr(module, "__all__", ()):
        obj = getattr(module, name)
        if not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue
        if getattr(obj, "__module__", None) != module.__name__:
            continue  # a re-export: checked in the module that defines it
        yield f"{module.__name__}.{name}", obj
        if inspect.isclass(obj):
            for qualname, method in _public_methods(obj):
                yield f"{method.__module__}.{qualname}", method


def test_the_walk_finds_the_packages_modules() -> None:
    names = {module.__name__ for module in MODULES}
    assert {"asgi_cycle.http.request", "asgi_cycle.db.models.query", "wsgi_shim.shim"} <= names
    objects = dict(item for module in MODULES for item in _public_objects(module))
    assert "asgi_cycle.http.request.HttpRequest" in objects
    assert "asgi_cycle.http.request.HttpRequest.get_host" in objects
    assert "wsgi_shim.to_wsgi" in objects


def test_own_doc_ignores_inherited_and_generated_docstrings() -> None:
    @dataclasses.dataclass
    class Point:
        x: int

    class Child(ValueError):
        pass

    def bare() -> None:
        pass

    assert _own_doc(Point) == ""
    assert _own_doc(Child) == ""
    assert _own_doc(bare) == ""
    assert _own_doc(_own_doc).startswith("The docstring")


@pytest.mark.parametrize("module", MODULES, ids=lambda module: module.__name__)
def test_public_callables_have_docstrings(module: ModuleType) -> None:
    missing = sorted({name for name, obj in _public_objects(module) if not _own_doc(obj)})
    assert not missing, "add a one-line docstring to:\n  " + "\n  ".join(missing)
