"""Settings: the one place that reads the settings module.

``settings`` is lazy: nothing is imported until the first attribute access.
The module is named by the environment variable ``ASGI_CYCLE_SETTINGS``
(default ``app.settings``). Names in UPPER_CASE count; everything else in the
module is ignored, as in Django. ``settings.configure(**overrides)`` sets them
by hand instead (scripts, tests).
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType
from typing import Any

from asgi_cycle.conf import global_settings
from asgi_cycle.core.exceptions import ImproperlyConfigured

ENVIRONMENT_VARIABLE = "ASGI_CYCLE_SETTINGS"
DEFAULT_SETTINGS_MODULE = "app.settings"


class Settings:
    """Settings read from a module, over the defaults in ``global_settings``."""

    def __init__(self, settings_module: str | None, overrides: dict[str, Any] | None = None):
        for name in dir(global_settings):
            if name.isupper():
                setattr(self, name, getattr(global_settings, name))
        self.SETTINGS_MODULE = settings_module
        if settings_module is not None:
            module = _import_settings(settings_module)
            for name in dir(module):
                if name.isupper():
                    setattr(self, name, getattr(module, name))
        for name, value in (overrides or {}).items():
            if not name.isupper():
                raise ImproperlyConfigured(f"Setting names are upper case; got {name!r}.")
            setattr(self, name, value)
        _check(self)

    def __repr__(self) -> str:
        return f"<Settings {self.SETTINGS_MODULE!r}>"


def _import_settings(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name):
            raise ImproperlyConfigured(
                f"The settings module {name!r} cannot be imported. Set the environment "
                f"variable {ENVIRONMENT_VARIABLE} to a module on sys.path (for the example "
                "app: 'app.settings', from the project's root folder)."
            ) from exc
        raise


def _check(s: Settings) -> None:
    for name in ("ALLOWED_HOSTS", "INSTALLED_APPS", "MIDDLEWARE", "TEMPLATES"):
        value = getattr(s, name)
        if not isinstance(value, list | tuple):
            raise ImproperlyConfigured(f"The {name} setting must be a list or a tuple.")
    if not isinstance(getattr(s, "DATABASES"), dict):  # noqa: B009 - set dynamically
        raise ImproperlyConfigured("The DATABASES setting must be a dict of aliases.")


class LazySettings:
    """Proxy that loads the settings on first use.

    A value read once is kept in the proxy's own ``__dict__``, so later reads are
    plain attribute lookups (``__getattr__`` only runs on a miss); setting or
    deleting a name, ``configure`` and ``reset`` drop what was kept.
    """

    _wrapped: Settings | None = None

    def __init__(self) -> None:
        object.__setattr__(self, "_wrapped", None)

    def _setup(self) -> Settings:
        module = os.environ.get(ENVIRONMENT_VARIABLE) or DEFAULT_SETTINGS_MODULE
        wrapped = Settings(module)
        object.__setattr__(self, "_wrapped", wrapped)
        return wrapped

    def __getattr__(self, name: str) -> Any:
        wrapped = self._wrapped if self._wrapped is not None else self._setup()
        try:
            value = getattr(wrapped, name)
        except AttributeError:
            raise AttributeError(f"There is no setting named {name!r}.") from None
        if name == "SECRET_KEY" and not value:
            raise ImproperlyConfigured(
                "The SECRET_KEY setting must not be empty: set it in your settings module "
                "(the example app reads the SECRET_KEY environment variable)."
            )
        self.__dict__[name] = value
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        wrapped = self._wrapped if self._wrapped is not None else self._setup()
        setattr(wrapped, name, value)
        self.__dict__.pop(name, None)

    def __delattr__(self, name: str) -> None:
        wrapped = self._wrapped if self._wrapped is not None else self._setup()
        delattr(wrapped, name)
        self.__dict__.pop(name, None)

    def _forget_cached(self) -> None:
        for name in [n for n in self.__dict__ if n.isupper()]:
            del self.__dict__[name]

    def _wrapped_or_setup(self) -> Settings:
        return self._wrapped if self._wrapped is not None else self._setup()

    def configure(self, settings_module: str | None = None, **options: Any) -> None:
        """Use these settings instead of the environment's module (call before first use)."""
        self._forget_cached()
        object.__setattr__(self, "_wrapped", Settings(settings_module, options))

    def reset(self) -> None:
        """Forget the loaded settings; the next access reads the environment again."""
        self._forget_cached()
        object.__setattr__(self, "_wrapped", None)

    @property
    def configured(self) -> bool:
        """Whether the settings have been loaded."""
        return self._wrapped is not None


settings = LazySettings()

__all__ = ["ENVIRONMENT_VARIABLE", "LazySettings", "Settings", "settings"]
