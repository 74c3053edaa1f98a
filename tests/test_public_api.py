"""The pinned public interface of SPEC.md: every name imports and is exported."""

from __future__ import annotations

import importlib

import pytest

PINNED = {
    "asgi_cycle.conf": ["settings"],
    "asgi_cycle.http": [
        "HttpRequest",
        "QueryDict",
        "HttpResponse",
        "JsonResponse",
        "StreamingHttpResponse",
        "FileResponse",
        "HttpResponseRedirect",
        "HttpResponsePermanentRedirect",
        "HttpResponseNotFound",
        "HttpResponseBadRequest",
        "HttpResponseForbidden",
        "HttpResponseNotAllowed",
        "HttpResponseServerError",
        "Http404",
    ],
    "asgi_cycle.urls": [
        "path",
        "re_path",
        "include",
        "reverse",
        "resolve",
        "register_converter",
        "NoReverseMatch",
        "Resolver404",
    ],
    "asgi_cycle.shortcuts": [
        "render",
        "redirect",
        "get_object_or_404",
        "aget_object_or_404",
        "get_list_or_404",
        "aget_list_or_404",
    ],
    "asgi_cycle.db.models": [
        "Model",
        "AutoField",
        "BigAutoField",
        "CharField",
        "TextField",
        "IntegerField",
        "DecimalField",
        "BooleanField",
        "DateTimeField",
        "ForeignKey",
    ],
    "asgi_cycle.db.transaction": ["atomic"],
    "asgi_cycle.views": ["View", "TemplateView", "RedirectView"],
    "asgi_cycle.views.decorators.http": [
        "require_http_methods",
        "require_GET",
        "require_POST",
        "require_safe",
    ],
    "asgi_cycle.views.decorators.csrf": ["csrf_exempt"],
    "asgi_cycle.template.response": ["TemplateResponse"],
    "asgi_cycle.template.loader": ["render_to_string", "get_template"],
    "asgi_cycle.core.exceptions": [
        "PermissionDenied",
        "BadRequest",
        "SuspiciousOperation",
        "DisallowedHost",
        "RequestDataTooBig",
        "TooManyFieldsSent",
        "MiddlewareNotUsed",
        "ObjectDoesNotExist",
        "MultipleObjectsReturned",
        "ImproperlyConfigured",
    ],
    "asgi_cycle.core.signals": ["request_started", "request_finished", "got_request_exception"],
    "asgi_cycle.core.asgi": ["get_asgi_application"],
    "asgi_cycle.middleware.security": ["SecurityMiddleware"],
    "asgi_cycle.middleware.common": ["CommonMiddleware"],
    "asgi_cycle.middleware.csrf": ["CsrfViewMiddleware"],
    "asgi_cycle.middleware.gzip": ["GZipMiddleware"],
    "asgi_cycle.middleware.http": ["ConditionalGetMiddleware"],
    "asgi_cycle.middleware.clickjacking": ["XFrameOptionsMiddleware"],
    "asgi_cycle.contrib.sessions.middleware": ["SessionMiddleware"],
    "asgi_cycle.test": ["Client", "AsyncClient"],
    "wsgi_shim": ["get_wsgi_application", "to_wsgi"],
}


@pytest.mark.parametrize("module_name", sorted(PINNED))
def test_pinned_names_are_exported(module_name: str) -> None:
    module = importlib.import_module(module_name)
    exported = set(getattr(module, "__all__", ()))
    missing = [name for name in PINNED[module_name] if name not in exported]
    assert not missing, f"{module_name}.__all__ lacks {missing}"
    for name in PINNED[module_name]:
        assert getattr(module, name) is not None
