"""Built-in middleware, one module each (Django's paths with ``django`` -> ``asgi_cycle``).

Every class here subclasses ``MiddlewareMixin`` with ``nonblocking_hooks = True``:
its hooks are pure logic, so the onion calls them on the event loop.
"""

from __future__ import annotations

from asgi_cycle.middleware.clickjacking import XFrameOptionsMiddleware
from asgi_cycle.middleware.common import CommonMiddleware
from asgi_cycle.middleware.csrf import CsrfViewMiddleware
from asgi_cycle.middleware.gzip import GZipMiddleware
from asgi_cycle.middleware.http import ConditionalGetMiddleware
from asgi_cycle.middleware.security import SecurityMiddleware

__all__ = [
    "CommonMiddleware",
    "ConditionalGetMiddleware",
    "CsrfViewMiddleware",
    "GZipMiddleware",
    "SecurityMiddleware",
    "XFrameOptionsMiddleware",
]
