"""An app urlconf without an application namespace, included by test_include."""

from asgi_cycle.urls import include, path


def page(request, number=1, **kwargs):
    return "page"


nested = [path("deep/<int:level>/", page, name="deep")]

urlpatterns = [
    path("page/<int:number>/", page, name="page"),
    path("nested/", include((nested, "nested-app"), namespace="nested")),
]
