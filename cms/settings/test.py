"""Settings for the test suite: fast hashing, tasks run at once, files in a throw-away folder.

Search uses the database; the tests of the Elasticsearch path point it at a cluster themselves.
"""

from .base import *

SECRET_KEY = TEST_SECRET_KEY
BANLANG_OUTREACH = {**BANLANG_OUTREACH, "HASH_KEY": "test-outreach-hash-key"}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = VAR_DIR / "test-media"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SEARCH_ELASTICSEARCH = {**SEARCH_ELASTICSEARCH, "URL": "", "INDEX": "banlang_test_search"}
