"""Settings for a developer's machine: ``make run``."""

from .base import *

DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = SECRET_KEY or DEV_SECRET_KEY
BANLANG_OUTREACH["HASH_KEY"] = BANLANG_OUTREACH["HASH_KEY"] or f"outreach-{SECRET_KEY}"
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
