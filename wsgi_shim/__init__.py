"""ASGI -> WSGI shim: the same lifecycle under WSGI servers."""
