"""Views served through the real handler in test_end_to_end.py."""

from __future__ import annotations

import threading
from pathlib import Path

from asgi_cycle.http import HttpResponse
from asgi_cycle.shortcuts import render
from asgi_cycle.urls import path, re_path
from asgi_cycle.views import RedirectView, TemplateView, View
from asgi_cycle.views.decorators.csrf import csrf_exempt
from asgi_cycle.views.decorators.http import require_GET, require_POST
from asgi_cycle.views.static import serve

STATIC_ROOT = Path(__file__).parent / "static_root"
threads: list[str] = []


class AsyncThing(View):
    async def get(self, request, id):
        threads.append(threading.current_thread().name)
        return HttpResponse(f"thing {id}")

    async def post(self, request, id):
        return HttpResponse(f"posted {id}", status=201)


@require_GET
async def async_only_get(request):
    threads.append(threading.current_thread().name)
    return HttpResponse("got")


@csrf_exempt
@require_POST
def exempt_post(request):
    return HttpResponse("no token needed")


def rendered(request):
    return render(request, "e2e_form.html")


@require_POST
def protected_post(request):
    return HttpResponse("token checked")


urlpatterns = [
    path("things/<int:id>/", csrf_exempt(AsyncThing.as_view()), name="thing"),
    path("only-get/", csrf_exempt(async_only_get)),
    path("form/", TemplateView.as_view(template_name="e2e_form.html")),
    path("exempt/", exempt_post),
    path("rendered/", rendered),
    path("protected/", protected_post),
    path("go/<int:id>/", RedirectView.as_view(pattern_name="thing", query_string=True)),
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": str(STATIC_ROOT)}),
]
