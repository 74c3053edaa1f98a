"""Settings of the scenario app: the full middleware onion, signed-cookie sessions."""

from pathlib import Path

DEBUG = False
SECRET_KEY = "scenario-suite-key"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE = [
    "asgi_cycle.middleware.security.SecurityMiddleware",
    "asgi_cycle.contrib.sessions.middleware.SessionMiddleware",
    "asgi_cycle.middleware.common.CommonMiddleware",
    "asgi_cycle.middleware.csrf.CsrfViewMiddleware",
    "asgi_cycle.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "tests.servers.scenario_app.urls"
TEMPLATES: list[dict[str, object]] = []
DATABASES: dict[str, dict[str, object]] = {}
STATIC_URL = "/static/"
STATIC_ROOT = str(Path(__file__).resolve().parent / "static")
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
