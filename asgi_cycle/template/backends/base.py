"""What every template backend shares: name, folders, and the engine interface."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from asgi_cycle.core.exceptions import ImproperlyConfigured
from asgi_cycle.template.utils import get_app_template_dirs


class BackendTemplate(Protocol):
    """A compiled template as a backend hands it out."""

    def render(self, context: dict[str, Any] | None = None, request: Any = None) -> str:
        """Render to a string; with a request, the context processors run too."""
        ...


class BaseEngine:
    """An engine built from one ``TEMPLATES`` entry (``OPTIONS`` already popped)."""

    #: Sub-folder of each installed app searched when ``APP_DIRS`` is true.
    app_dirname = "templates"

    def __init__(self, params: dict[str, Any]) -> None:
        params = dict(params)
        self.name: str = params.pop("NAME")
        self.dirs: list[str] = [str(d) for d in params.pop("DIRS")]
        self.app_dirs: bool = bool(params.pop("APP_DIRS"))
        if params:
            raise ImproperlyConfigured(
                f"Unknown parameters: {', '.join(params)} in the TEMPLATES entry {self.name!r}."
            )

    @property
    def template_dirs(self) -> tuple[str, ...]:
        """``DIRS`` first, then each installed app's template folder when ``APP_DIRS``."""
        dirs = tuple(self.dirs)
        if self.app_dirs:
            dirs += tuple(str(d) for d in get_app_template_dirs(self.app_dirname))
        return dirs

    def iter_template_filenames(self, template_name: str) -> list[str]:
        """The file paths where ``template_name`` would be looked for, in order."""
        return [str(Path(d) / template_name) for d in self.template_dirs]

    def from_string(self, template_code: str) -> BackendTemplate:
        """Compile a template from source."""
        raise NotImplementedError("subclasses of BaseEngine must provide from_string()")

    def get_template(self, template_name: str) -> BackendTemplate:
        """Load a template by name; raise ``TemplateDoesNotExist`` if none matches."""
        raise NotImplementedError("subclasses of BaseEngine must provide get_template()")


__all__ = ["BackendTemplate", "BaseEngine"]
