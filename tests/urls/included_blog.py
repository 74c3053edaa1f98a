"""An app urlconf with an application namespace, included by test_include."""

from asgi_cycle.urls import path


def post(request, slug):
    return "post"


def blog_index(request):
    return "index"


def whoami(request, **kwargs):
    return request


app_name = "blog"

urlpatterns = [
    path("", blog_index, name="index"),
    path("<slug:slug>/", post, name="post"),
    path("who/", whoami, name="whoami"),
]
