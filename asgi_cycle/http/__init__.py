"""Request and response objects: step 3 (the request is built) and step 10 (the response)."""

from asgi_cycle.http.cookie import SimpleCookie, parse_cookie
from asgi_cycle.http.headers import HttpHeaders
from asgi_cycle.http.querydict import QueryDict
from asgi_cycle.http.request import (
    ASGIRequest,
    HttpRequest,
    RawPostDataException,
    UnreadablePostError,
)
from asgi_cycle.http.response import (
    BadHeaderError,
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    HttpResponseForbidden,
    HttpResponseGone,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
    HttpResponseNotModified,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
    ResponseHeaders,
    StreamingHttpResponse,
)

__all__ = [
    "ASGIRequest",
    "BadHeaderError",
    "FileResponse",
    "Http404",
    "HttpHeaders",
    "HttpRequest",
    "HttpResponse",
    "HttpResponseBadRequest",
    "HttpResponseBase",
    "HttpResponseForbidden",
    "HttpResponseGone",
    "HttpResponseNotAllowed",
    "HttpResponseNotFound",
    "HttpResponseNotModified",
    "HttpResponsePermanentRedirect",
    "HttpResponseRedirect",
    "HttpResponseServerError",
    "JsonResponse",
    "QueryDict",
    "RawPostDataException",
    "ResponseHeaders",
    "SimpleCookie",
    "StreamingHttpResponse",
    "UnreadablePostError",
    "parse_cookie",
]
