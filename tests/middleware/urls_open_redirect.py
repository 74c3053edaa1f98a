"""A urlconf where "/evil.com/" exists, to probe APPEND_SLASH with "//evil.com"."""

from __future__ import annotations

from asgi_cycle.http import HttpResponse
from asgi_cycle.urls import re_path


def catch_all(request):
    return HttpResponse("caught")


# (?s): the pattern also matches paths with CR/LF, so the redirect itself is probed.
urlpatterns = [re_path(r"(?s)^.*/$", catch_all)]
