"""Ready-made responses: redirects, the error statuses and JSON (re-exported by ``response``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from asgi_cycle.conf import settings
from asgi_cycle.core.exceptions import DisallowedRedirect
from asgi_cycle.core.serializers.json import DjangoJSONEncoder, dumps
from asgi_cycle.http.response import HttpResponse
from asgi_cycle.utils.encoding import iri_to_uri
from asgi_cycle.utils.http import MAX_URL_LENGTH


class HttpResponseRedirectBase(HttpResponse):
    """A redirect; the target's scheme must be one of ``allowed_schemes``."""

    allowed_schemes = ["http", "https", "ftp"]
    status_code_preserve_request = 307

    def __init__(
        self, redirect_to: Any, preserve_request: bool = False, *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        target = str(redirect_to)
        # iri_to_uri percent-encodes CR/LF, so a target can never split the headers.
        self["Location"] = iri_to_uri(target)
        if preserve_request:
            self.status_code = self.status_code_preserve_request
        if len(target) > MAX_URL_LENGTH:
            raise DisallowedRedirect(f"Unsafe redirect exceeding {MAX_URL_LENGTH} characters")
        try:
            scheme = urlsplit(target).scheme
        except ValueError:
            raise DisallowedRedirect(f"Unsafe redirect to URL {target!r}") from None
        if scheme and scheme not in self.allowed_schemes:
            raise DisallowedRedirect(f"Unsafe redirect to URL with protocol '{scheme}'")

    @property
    def url(self) -> str:
        """The ``Location`` header."""
        return self["Location"]

    def __repr__(self) -> str:
        content_type = self.headers.get("Content-Type", "")
        return (
            f'<{type(self).__name__} status_code={self.status_code}, "{content_type}", '
            f'url="{self.url}">'
        )


class HttpResponseRedirect(HttpResponseRedirectBase):
    """302 Found (307 with ``preserve_request=True``)."""

    status_code = 302
    status_code_preserve_request = 307


class HttpResponsePermanentRedirect(HttpResponseRedirectBase):
    """301 Moved Permanently (308 with ``preserve_request=True``)."""

    status_code = 301
    status_code_preserve_request = 308


class HttpResponseNotModified(HttpResponse):
    """304 Not Modified: no content, no Content-Type."""

    status_code = 304

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self["content-type"]

    def _set_content(self, value: Any) -> None:
        if value:
            raise AttributeError("You cannot set content to a 304 (Not Modified) response")
        self._container = [b""]


class HttpResponseBadRequest(HttpResponse):
    """400 Bad Request."""

    status_code = 400


class HttpResponseNotFound(HttpResponse):
    """404 Not Found."""

    status_code = 404


class HttpResponseForbidden(HttpResponse):
    """403 Forbidden."""

    status_code = 403


class HttpResponseNotAllowed(HttpResponse):
    """405 Method Not Allowed, with the ``Allow`` header."""

    status_code = 405

    def __init__(self, permitted_methods: Iterable[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self["Allow"] = ", ".join(permitted_methods)

    def __repr__(self) -> str:
        content_type = self.headers.get("Content-Type", "")
        return (
            f"<{type(self).__name__} [{self['Allow']}] status_code={self.status_code}, "
            f'"{content_type}">'
        )


class HttpResponseGone(HttpResponse):
    """410 Gone."""

    status_code = 410


class HttpResponseServerError(HttpResponse):
    """500 Internal Server Error."""

    status_code = 500


class JsonResponse(HttpResponse):
    """A JSON body; with ``safe=True`` (default) only a dict may be serialised."""

    #: Whether HttpResponse comes right after JsonResponse in the class's MRO, so that
    #: __init__ may call it directly instead of through super().
    _plain_json = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        mro = cls.__mro__
        cls._plain_json = mro[mro.index(JsonResponse) + 1] is HttpResponse

    def __init__(
        self,
        data: Any,
        encoder: type[json.JSONEncoder] = DjangoJSONEncoder,
        safe: bool = True,
        json_dumps_params: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        if safe and not isinstance(data, dict):
            raise TypeError(
                "In order to allow non-dict objects to be serialized set the "
                "safe parameter to False."
            )
        if encoder is DjangoJSONEncoder and not json_dumps_params:
            content = dumps(data)  # the C encoder built once, not per response
        else:
            content = json.dumps(data, cls=encoder, **(json_dumps_params or {}))
        if not kwargs:
            # application/json names no charset: the text is encoded in DEFAULT_CHARSET.
            body = content.encode(settings.DEFAULT_CHARSET)
            if self._plain_json:
                HttpResponse.__init__(self, body, "application/json")  # super(), without one
            else:
                super().__init__(body, content_type="application/json")
            return
        kwargs.setdefault("content_type", "application/json")
        super().__init__(content=content, **kwargs)


__all__ = [
    "HttpResponseBadRequest",
    "HttpResponseForbidden",
    "HttpResponseGone",
    "HttpResponseNotAllowed",
    "HttpResponseNotFound",
    "HttpResponseNotModified",
    "HttpResponsePermanentRedirect",
    "HttpResponseRedirect",
    "HttpResponseRedirectBase",
    "HttpResponseServerError",
    "JsonResponse",
]
