"""Django peer: a regular Django project with async views (Uvicorn) and sync views (Gunicorn).

`DJANGO_TFB_MODE=async` (default) routes to async views and is served by
`uvicorn benchmarks.peers.django_tfb.asgi:application`; `DJANGO_TFB_MODE=sync`
routes to sync views for `gunicorn benchmarks.peers.django_tfb.wsgi:application`.
`DJANGO_TFB_MIDDLEWARE=0` empties the middleware stack.
"""
