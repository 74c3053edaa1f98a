"""A URLconf with its own handler404 and handler500."""

from asgi_cycle.http import HttpResponse, HttpResponseNotFound
from asgi_cycle.urls import path


def boom(request):
    raise RuntimeError("boom")


async def custom_404(request, exception):
    return HttpResponseNotFound("custom not found")


def custom_500(request):
    return HttpResponse("custom server error", status=500)


handler404 = custom_404
handler500 = "tests.core.urls_custom_handlers.custom_500"

urlpatterns = [path("boom/", boom)]
