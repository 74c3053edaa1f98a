"""Default settings: Django's names and values, plus this project's ``CYCLE_*``."""

from __future__ import annotations

from typing import Any

DEBUG = False
SECRET_KEY = ""
ALLOWED_HOSTS: list[str] = []
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
ROOT_URLCONF: str | None = None
TEMPLATES: list[dict[str, Any]] = []
DATABASES: dict[str, dict[str, Any]] = {}
DEFAULT_AUTO_FIELD = "asgi_cycle.db.models.AutoField"
ATOMIC_REQUESTS = False
TIME_ZONE = "UTC"
USE_TZ = True

DEFAULT_CHARSET = "utf-8"
APPEND_SLASH = True
PREPEND_WWW = False
DISALLOWED_USER_AGENTS: list[Any] = []
USE_X_FORWARDED_HOST = False
USE_X_FORWARDED_PORT = False
SECURE_PROXY_SSL_HEADER: tuple[str, str] | None = None

# Request bodies. Unlike Django, a body past DATA_UPLOAD_MAX_MEMORY_SIZE answers 413,
# whether or not it was announced by Content-Length.
DATA_UPLOAD_MAX_MEMORY_SIZE: int | None = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS: int | None = 1000
DATA_UPLOAD_MAX_NUMBER_FILES: int | None = 100
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_TEMP_DIR: str | None = None

STATIC_URL: str | None = "/static/"
STATIC_ROOT: str | None = None
STATICFILES_DIRS: list[str] = []
#: Serve STATIC_URL from the static folders before the onion (see core.handlers.static).
CYCLE_SERVE_STATIC = True
MEDIA_URL = "/media/"
MEDIA_ROOT = ""

# Security middleware.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY: str | None = "same-origin"
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
SECURE_REDIRECT_EXEMPT: list[str] = []
SECURE_REFERRER_POLICY: str | None = "same-origin"
SECURE_SSL_HOST: str | None = None
SECURE_SSL_REDIRECT = False
X_FRAME_OPTIONS = "DENY"

# CSRF.
CSRF_COOKIE_NAME = "csrftoken"
CSRF_COOKIE_AGE: int | None = 60 * 60 * 24 * 7 * 52
CSRF_COOKIE_DOMAIN: str | None = None
CSRF_COOKIE_PATH = "/"
CSRF_COOKIE_SECURE = False
CSRF_COOKIE_HTTPONLY = False
CSRF_COOKIE_SAMESITE: str | None = "Lax"
CSRF_HEADER_NAME = "HTTP_X_CSRFTOKEN"
CSRF_TRUSTED_ORIGINS: list[str] = []
CSRF_USE_SESSIONS = False
CSRF_FAILURE_VIEW = "asgi_cycle.views.csrf.csrf_failure"

# Sessions (signed cookies by default: any worker can serve any request).
SESSION_ENGINE = "asgi_cycle.contrib.sessions.backends.signed_cookies"
SESSION_COOKIE_NAME = "sessionid"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 7 * 2
SESSION_COOKIE_DOMAIN: str | None = None
SESSION_COOKIE_SECURE = False
SESSION_COOKIE_PATH = "/"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE: str | None = "Lax"
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = False

# Conditional GET / gzip.
USE_ETAGS = False

# This project's own.
#: Add a Server-Timing header (mw, resolve, view, db, template, total) to every response.
CYCLE_TRACE = False
#: How many recent requests /__cycle__/ keeps (DEBUG only).
CYCLE_TRACE_KEEP = 50
#: Seconds a client may take to send the whole body before it gets 408.
CYCLE_BODY_TIMEOUT: float | None = 60.0
#: Largest multipart/form-data body (files included), in bytes; past it the answer is 413.
CYCLE_MAX_UPLOAD_SIZE: int | None = 100 * 1024 * 1024
#: Longest header value (bytes) the request object accepts for parsed headers.
CYCLE_MAX_HEADER_VALUE = 8190
