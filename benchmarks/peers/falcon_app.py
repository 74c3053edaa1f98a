"""Falcon peers: one resource class per test, as an ASGI app and as a WSGI app.

Serve with `uvicorn benchmarks.peers.falcon_app:asgi_app` or
`gunicorn benchmarks.peers.falcon_app:wsgi_app`. Plaintext and json only, as in
the issue's reference table.
"""

from __future__ import annotations

import falcon
import falcon.asgi


class PlaintextResource:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.content_type = falcon.MEDIA_TEXT
        resp.data = b"Hello, World!"


class JsonResource:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"message": "Hello, World!"}


class AsyncPlaintextResource:
    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        resp.content_type = falcon.MEDIA_TEXT
        resp.data = b"Hello, World!"


class AsyncJsonResource:
    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        resp.media = {"message": "Hello, World!"}


wsgi_app = falcon.App()
wsgi_app.add_route("/plaintext", PlaintextResource())
wsgi_app.add_route("/json", JsonResource())

asgi_app = falcon.asgi.App()
asgi_app.add_route("/plaintext", AsyncPlaintextResource())
asgi_app.add_route("/json", AsyncJsonResource())
