"""Settings of the example app, read from the environment.

DATABASE_URL  default: an SQLite file db.sqlite3 in the working directory
DEBUG         0 or 1 (default 0)
ALLOWED_HOSTS comma-separated (default: localhost,127.0.0.1,[::1],testserver)
SECRET_KEY    default: a development key (set a real one in production)
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent

DEBUG = os.environ.get("DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")
    if h.strip()
]

INSTALLED_APPS = ["app"]

MIDDLEWARE = [
    "asgi_cycle.middleware.security.SecurityMiddleware",
    "app.middleware.RequestTimerMiddleware",
    "asgi_cycle.contrib.sessions.middleware.SessionMiddleware",
    "asgi_cycle.middleware.common.CommonMiddleware",
    "asgi_cycle.middleware.csrf.CsrfViewMiddleware",
    "asgi_cycle.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "app.urls"

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
        "URL": os.environ.get("DATABASE_URL", f"sqlite:///{Path.cwd() / 'db.sqlite3'}"),
    }
}

STATIC_URL = "/static/"
STATIC_ROOT = None
