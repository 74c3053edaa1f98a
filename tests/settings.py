"""Settings for the test suite; tests change them with ``override_settings``."""

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1", "[::1]"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "tests.urls_empty"
TEMPLATES: list[dict[str, object]] = []
DATABASES: dict[str, dict[str, object]] = {}
