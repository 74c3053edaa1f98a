"""Settings of the Django peer, read from the environment like a deployed project."""

from __future__ import annotations

import os
from urllib.parse import unquote, urlsplit

MODE = os.environ.get("DJANGO_TFB_MODE", "async")

DEBUG = False
SECRET_KEY = "benchmark-only-secret-key"
ALLOWED_HOSTS = ["*"]
USE_TZ = True
INSTALLED_APPS = ["benchmarks.peers.django_tfb"]
ROOT_URLCONF = f"benchmarks.peers.django_tfb.urls_{MODE}"
# The stack of a new project minus auth and messages, which the other targets lack.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
if os.environ.get("DJANGO_TFB_MIDDLEWARE", "1") == "0":
    MIDDLEWARE = []
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {},
    }
]


def _database(url: str) -> dict[str, object]:
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": url.split(":///", 1)[1]}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parts.path.lstrip("/"),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": parts.port or "",
    }


DATABASES = {"default": _database(os.environ.get("DATABASE_URL", "sqlite:///tfb.sqlite3"))}
# Persistent connections suit a sync worker; Django advises against them under ASGI.
DATABASES["default"]["CONN_MAX_AGE"] = None if MODE == "sync" else 0
