"""Template errors, as Django names them.

Hierarchy::

    Exception
    ├── TemplateDoesNotExist     no engine found the template; ``tried`` lists the paths
    ├── TemplateSyntaxError      the template source is invalid
    └── ContentNotRenderedError  a lazy response's ``content`` was read before ``render()``
"""

from __future__ import annotations

from typing import Any


class TemplateDoesNotExist(Exception):
    """No engine could load the template.

    ``tried`` holds the file paths looked at, in order; ``chain`` the errors
    of each engine when several were asked (``select_template``, many engines).
    """

    def __init__(
        self,
        msg: str,
        tried: list[str] | None = None,
        backend: Any = None,
        chain: list[TemplateDoesNotExist] | None = None,
    ) -> None:
        self.backend = backend
        self.tried = list(tried or [])
        self.chain = list(chain or [])
        super().__init__(msg)

    def __str__(self) -> str:
        msg = str(self.args[0]) if self.args else ""
        tried = self.tried or [path for exc in self.chain for path in exc.tried]
        if not tried:
            return msg
        return f"{msg} (tried: {', '.join(tried)})"


class TemplateSyntaxError(Exception):
    """The template source cannot be compiled."""


class ContentNotRenderedError(Exception):
    """The content of a template response was read before it was rendered."""


__all__ = ["ContentNotRenderedError", "TemplateDoesNotExist", "TemplateSyntaxError"]
