"""Settings of the TechEmpower app: a new project's default middleware stack.

DATABASE_URL  an `sqlite:///path` or `postgresql://...` URL (default: tfb.sqlite3
              in the working directory)
"""

from __future__ import annotations

import os
from pathlib import Path

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "benchmark-only-secret-key")
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]

INSTALLED_APPS = ["benchmarks.tfb"]

MIDDLEWARE = [
    "asgi_cycle.middleware.security.SecurityMiddleware",
    "asgi_cycle.contrib.sessions.middleware.SessionMiddleware",
    "asgi_cycle.middleware.common.CommonMiddleware",
    "asgi_cycle.middleware.csrf.CsrfViewMiddleware",
    "asgi_cycle.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "benchmarks.tfb.urls"

TEMPLATES = [
    {
        "BACKEND": "asgi_cycle.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {},
    }
]

DATABASES = {
    "default": {
        "URL": os.environ.get("DATABASE_URL", f"sqlite:///{Path.cwd() / 'tfb.sqlite3'}"),
    }
}
