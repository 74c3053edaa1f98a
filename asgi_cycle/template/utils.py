"""The ``engines`` registry: one backend instance per ``TEMPLATES`` entry.

The engines are built on first use from ``settings.TEMPLATES`` and kept for the
life of the process (a Jinja2 environment caches compiled templates, so
rebuilding it per request would compile every template every time). A change
of ``TEMPLATES`` or ``INSTALLED_APPS`` through ``override_settings`` drops them.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asgi_cycle.conf import settings
from asgi_cycle.core.exceptions import ImproperlyConfigured
from asgi_cycle.core.signals import setting_changed
from asgi_cycle.utils.module_loading import import_string

if TYPE_CHECKING:
    from asgi_cycle.template.backends.base import BaseEngine


class InvalidTemplateEngineError(ImproperlyConfigured):
    """No engine of that alias is configured."""


class EngineHandler:
    """Maps each alias (``NAME`` or the backend's module name) to its engine."""

    def __init__(self, templates: list[dict[str, Any]] | None = None) -> None:
        self._templates = templates
        self._configs: dict[str, dict[str, Any]] | None = None
        self._engines: dict[str, BaseEngine] = {}
        self._all: list[BaseEngine] | None = None

    @property
    def templates(self) -> dict[str, dict[str, Any]]:
        """The normalised configuration of every engine, keyed by alias."""
        if self._configs is not None:
            return self._configs
        raw = self._templates if self._templates is not None else settings.TEMPLATES
        configs: dict[str, dict[str, Any]] = {}
        for entry in raw:
            try:
                backend = entry["BACKEND"]
            except KeyError:
                raise ImproperlyConfigured(
                    f"Invalid BACKEND for a template engine: <not defined>. Check your "
                    f"TEMPLATES setting: {entry!r}"
                ) from None
            tpl = {"NAME": backend.rsplit(".", 2)[-2], "DIRS": [], "APP_DIRS": False}
            tpl.update(entry)
            tpl.setdefault("OPTIONS", {})
            if tpl["NAME"] in configs:
                raise ImproperlyConfigured(
                    f"Template engine aliases aren't unique, duplicates: {tpl['NAME']}. Set a "
                    "unique NAME for each engine in settings.TEMPLATES."
                )
            configs[tpl["NAME"]] = tpl
        self._configs = configs
        return configs

    def __getitem__(self, alias: str) -> BaseEngine:
        try:
            return self._engines[alias]
        except KeyError:
            pass
        try:
            params = dict(self.templates[alias])
        except KeyError:
            raise InvalidTemplateEngineError(
                f"Could not find config for '{alias}' in settings.TEMPLATES"
            ) from None
        backend = params.pop("BACKEND")
        try:
            engine_cls = import_string(backend)
        except ImportError as exc:
            raise ImproperlyConfigured(
                f"TEMPLATES BACKEND {backend!r} cannot be imported: {exc}"
            ) from exc
        engine: BaseEngine = engine_cls(params)
        self._engines[alias] = engine
        return engine

    def __iter__(self) -> Iterator[str]:
        return iter(self.templates)

    def all(self) -> list[BaseEngine]:
        """Every configured engine, in ``TEMPLATES`` order."""
        if self._all is None:
            self._all = [self[alias] for alias in self]
        return self._all

    def reset(self) -> None:
        """Forget the configuration and the engines (the settings changed)."""
        self._configs = None
        self._engines = {}
        self._all = None


@functools.cache
def get_app_template_dirs(dirname: str = "templates") -> tuple[Path, ...]:
    """``<app>/<dirname>/`` for each installed app that has one, in app order."""
    dirs: list[Path] = []
    for app in settings.INSTALLED_APPS:
        # An AppConfig path ("app.apps.AppConfig") names its package two levels up.
        spec = importlib.util.find_spec(app)
        if spec is None or not spec.submodule_search_locations:
            package = app.rsplit(".", 2)[0]
            spec = importlib.util.find_spec(package) if package != app else None
        if spec is None or not spec.submodule_search_locations:
            continue
        for location in spec.submodule_search_locations:
            candidate = Path(location) / dirname
            if candidate.is_dir():
                dirs.append(candidate)
    return tuple(dirs)


engines = EngineHandler()


def _reset_engines(*, setting: str, **kwargs: Any) -> None:
    if setting in {"TEMPLATES", "INSTALLED_APPS", "DEBUG"}:
        get_app_template_dirs.cache_clear()
        engines.reset()


setting_changed.connect(_reset_engines, weak=False)

__all__ = ["EngineHandler", "InvalidTemplateEngineError", "engines", "get_app_template_dirs"]
