"""URL routing, step 5 of the cycle: Django's URL dispatcher.

``path()`` / ``re_path()`` / ``include()`` write a urlconf; ``resolve()`` maps a
path to a ``ResolverMatch`` (or raises ``Resolver404``); ``reverse()`` maps a
view name and arguments back to a URL (or raises ``NoReverseMatch``).
"""

from __future__ import annotations

from asgi_cycle.urls.base import (
    clear_script_prefix,
    clear_url_caches,
    get_script_prefix,
    get_urlconf,
    is_valid_path,
    resolve,
    reverse,
    reverse_lazy,
    set_script_prefix,
    set_urlconf,
)
from asgi_cycle.urls.conf import include, path, re_path
from asgi_cycle.urls.converters import get_converter, register_converter
from asgi_cycle.urls.exceptions import NoReverseMatch, Resolver404, ViewDoesNotExist
from asgi_cycle.urls.match import ResolverMatch
from asgi_cycle.urls.resolvers import URLPattern, URLResolver, get_resolver
from asgi_cycle.urls.utils import get_callable, get_mod_func

__all__ = [
    "NoReverseMatch",
    "Resolver404",
    "ResolverMatch",
    "URLPattern",
    "URLResolver",
    "ViewDoesNotExist",
    "clear_script_prefix",
    "clear_url_caches",
    "get_callable",
    "get_converter",
    "get_mod_func",
    "get_resolver",
    "get_script_prefix",
    "get_urlconf",
    "include",
    "is_valid_path",
    "path",
    "re_path",
    "register_converter",
    "resolve",
    "reverse",
    "reverse_lazy",
    "set_script_prefix",
    "set_urlconf",
]
