"""The default Jinja2 environment of the backend, and its render fast path.

Both keep Jinja2's output byte for byte; they only drop per-render work:

- ``Environment`` compiles autoescaped ``{{ ... }}`` to ``escape_output``, which
  returns the escaped text of a ``str``, ``int`` or ``float`` without building a
  ``Markup`` per value (``markupsafe.escape`` does, and that is most of its cost);
  everything else (``Markup``, objects with ``__html__``, undefined values) still
  goes through ``markupsafe.escape``. Output is only ever joined, so the type of
  each piece does not show.
- ``render`` builds the template's ``Context`` from a plain dict: Jinja2's
  ``Template.render`` copies the template's globals out of a ``ChainMap`` (a
  Python-level lookup per global) and the variables again on every render.

Only the backend's default environment class gets the code generator; an
``environment`` of the user's keeps Jinja2's own.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator
from jinja2.runtime import new_context
from markupsafe import escape

try:
    # The C escape of markupsafe >= 3.0, which ``escape`` wraps in a Markup.
    from markupsafe._speedups import _escape_inner
except ImportError:  # pragma: no cover - markupsafe without its speedups

    def _escape_inner(s: str, /) -> str:
        return (
            s.replace("&", "&amp;")
            .replace(">", "&gt;")
            .replace("<", "&lt;")
            .replace("'", "&#39;")
            .replace('"', "&#34;")
        )


def escape_output(value: Any) -> str:
    """``markupsafe.escape(value)`` as text, for one autoescaped output expression."""
    cls = type(value)
    if cls is str:
        return _escape_inner(value)
    if cls is int or cls is float:
        return str(value)  # digits, sign, dot, "e", "inf", "nan": nothing to escape
    return escape(value)


class _CodeGenerator(CodeGenerator):
    """Jinja2's code generator, writing ``environment.escape_output(`` for ``escape(``."""

    def _output_child_pre(self, node: Any, frame: Any, finalize: Any) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write("environment.escape_output(")
        if finalize.src is not None:
            self.write(finalize.src)


class Environment(jinja2.Environment):
    """The backend's default environment: Jinja2's, with cheaper autoescaped output."""

    code_generator_class = _CodeGenerator
    escape_output = staticmethod(escape_output)


def _flat_globals(globals: Mapping[str, Any]) -> dict[str, Any]:
    # A template's globals are ChainMap(template globals, environment globals).
    if type(globals) is ChainMap:
        flat: dict[str, Any] = {}
        for mapping in reversed(globals.maps):
            flat.update(mapping)
        return flat
    return dict(globals)


def render(template: jinja2.Template, variables: dict[str, Any]) -> str:
    """``template.render(variables)`` for a synchronous environment, built more cheaply."""
    environment = template.environment
    if type(template) is not jinja2.Template or environment.is_async:
        # A template class of the user's may render differently; async has its own path.
        return template.render(variables)
    globals = _flat_globals(template.globals)
    parent = {**globals, **variables}
    context = new_context(environment, template.name, template.blocks, parent, True, globals)
    try:
        return environment.concat(template.root_render_func(context))
    except Exception:
        environment.handle_exception()


__all__ = ["Environment", "escape_output", "render"]
