"""``CommonMiddleware``: forbidden user agents, PREPEND_WWW, APPEND_SLASH, Content-Length.

APPEND_SLASH, as in Django: when a path without a trailing slash answers 404, its
slash-less form does not resolve and the slashed form does, the answer becomes a
301 to the slashed path with a relative ``Location`` (``/products/1/``). A
redirect cannot carry a request body, so for POST, PUT and PATCH:

- with DEBUG on, ``RuntimeError`` explains the mistake (Django's behaviour);
- with DEBUG off, the 404 stands. Django redirects here and the browser follows
  with a GET, silently dropping the form; a 404 makes the broken form visible.

A path starting with ``//`` is written ``/%2F...`` in the ``Location`` so that the
redirect can never be read as a scheme-relative URL to another host
(CVE-2018-14574).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asgi_cycle.conf import settings
from asgi_cycle.core.exceptions import PermissionDenied
from asgi_cycle.http.response_headers import ResponseHeaders
from asgi_cycle.utils.deprecation import GetResponse, MiddlewareMixin
from asgi_cycle.utils.http import escape_leading_slashes

if TYPE_CHECKING:
    from asgi_cycle.http import HttpRequest, HttpResponseBase

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class CommonMiddleware(MiddlewareMixin):
    """Django's CommonMiddleware (see the module docstring for the APPEND_SLASH rules)."""

    nonblocking_hooks = True
    response_redirect_class: Any = None  # HttpResponsePermanentRedirect, bound at first use

    def __init__(self, get_response: GetResponse) -> None:
        super().__init__(get_response)
        self.disallowed_user_agents = list(settings.DISALLOWED_USER_AGENTS)
        self.prepend_www: bool = settings.PREPEND_WWW
        self.append_slash: bool = settings.APPEND_SLASH
        self.debug: bool = settings.DEBUG
        if self.response_redirect_class is None:
            from asgi_cycle.http import HttpResponsePermanentRedirect

            self.response_redirect_class = HttpResponsePermanentRedirect

    def process_request(self, request: HttpRequest) -> HttpResponseBase | None:
        """Refuse forbidden user agents; redirect to ``www.`` when PREPEND_WWW says so."""
        if self.disallowed_user_agents:
            user_agent = request.META.get("HTTP_USER_AGENT")
            if user_agent is not None:
                for pattern in self.disallowed_user_agents:
                    if pattern.search(user_agent):
                        raise PermissionDenied("Forbidden user agent")
        # get_host() validates the Host header against ALLOWED_HOSTS (400 when refused).
        host = request.get_host()
        if self.prepend_www and host and not host.startswith("www."):
            # Append the slash in the same redirect when it will be needed anyway.
            if self.should_redirect_with_slash(request):
                path = self.get_full_path_with_slash(request)
            else:
                path = request.get_full_path()
            return self.response_redirect_class(  # type: ignore[no-any-return]
                f"{request.scheme}://www.{host}{path}"
            )
        return None

    def should_redirect_with_slash(self, request: HttpRequest) -> bool:
        """Whether only the slashed form of this slash-less path resolves."""
        path_info = request.path_info
        if not self.append_slash or path_info.endswith("/"):
            return False
        from asgi_cycle.urls import is_valid_path

        urlconf = getattr(request, "urlconf", None)
        if is_valid_path(path_info, urlconf):
            return False
        match = is_valid_path(f"{path_info}/", urlconf)
        if not match:
            return False
        view = getattr(match, "func", None)
        return bool(getattr(view, "should_append_slash", True))

    def get_full_path_with_slash(self, request: HttpRequest) -> str:
        """The request's full path with a slash appended, safe to use as a Location.

        Raises:
            RuntimeError: in DEBUG, for methods whose body a redirect would drop.
        """
        new_path = escape_leading_slashes(request.get_full_path(force_append_slash=True))
        if self.debug and request.method in _BODY_METHODS:
            raise RuntimeError(
                f"You called this URL via {request.method}, but the URL doesn't end in a "
                "slash and you have APPEND_SLASH set. asgi_cycle can't redirect to the slash "
                f"URL while keeping the {request.method} data. Change your form to point to "
                f"{request.get_host()}{new_path} (note the trailing slash), or set "
                "APPEND_SLASH=False in your settings."
            )
        return new_path

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        """Turn a 404 into the APPEND_SLASH redirect; add Content-Length when missing."""
        if (
            response.status_code == 404
            and self.append_slash
            and self.should_redirect_with_slash(request)
        ):
            location = self.get_full_path_with_slash(request)
            if request.method not in _BODY_METHODS:
                return self.response_redirect_class(location)  # type: ignore[no-any-return]
        if response.streaming:
            return response
        headers = response.headers
        if type(headers) is ResponseHeaders:
            headers.put_default_length(response)
        elif "Content-Length" not in headers:
            headers["Content-Length"] = str(len(response.content))  # type: ignore[attr-defined]
        return response


__all__ = ["CommonMiddleware"]
