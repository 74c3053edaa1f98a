"""Templates, step 8 of the cycle: the engines registry and the template errors.

``engines`` holds one backend per ``TEMPLATES`` entry; ``loader`` finds and
renders templates across them; ``response`` has the lazy ``TemplateResponse``.
"""

from __future__ import annotations

from asgi_cycle.template.exceptions import (
    ContentNotRenderedError,
    TemplateDoesNotExist,
    TemplateSyntaxError,
)
from asgi_cycle.template.utils import engines

__all__ = ["ContentNotRenderedError", "TemplateDoesNotExist", "TemplateSyntaxError", "engines"]
