"""System checks that refuse unsafe configurations: ``manage.py`` commands stop on these errors."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks

from cms.settings.base import DEV_SECRET_KEY, TEST_SECRET_KEY

SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT_CHARACTERS = 5
SHARED_CACHE_BACKENDS = frozenset(
    {
        "django.core.cache.backends.redis.RedisCache",
        "django.core.cache.backends.memcached.PyMemcacheCache",
        "django.core.cache.backends.memcached.PyLibMCCache",
        "django.core.cache.backends.db.DatabaseCache",
    }
)


def debug_in_production(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[checks.Error]:
    """Debug pages show settings, SQL and source to anyone who triggers an error."""
    if settings.BANLANG_PRODUCTION and settings.DEBUG:
        return [
            checks.Error(
                "DEBUG is on in production settings.",
                hint="Remove DEBUG = True from the settings module that extends "
                "cms.settings.production.",
                id="banlang.E001",
            )
        ]
    return []


def weak_secret_key_in_production(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[checks.Error]:
    """A guessable key lets anyone forge sessions, password-reset links and signed values."""
    key = settings.SECRET_KEY
    weak = (
        len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_DISTINCT_CHARACTERS
        or key in {DEV_SECRET_KEY, TEST_SECRET_KEY}
        or key.startswith("django-insecure-")
    )
    if settings.BANLANG_PRODUCTION and weak:
        return [
            checks.Error(
                "SECRET_KEY is too weak for production: it is short, repetitive, "
                "a development or test key, or one of Django's insecure placeholders.",
                hint="Set SECRET_KEY to a random string of at least "
                f"{SECRET_KEY_MIN_LENGTH} characters, e.g. the output of "
                "python -c 'import secrets; print(secrets.token_urlsafe(50))'.",
                id="banlang.E002",
            )
        ]
    return []


def cache_is_shared() -> bool:
    """Whether every process of the site reads and writes the same default cache."""
    return settings.CACHES["default"]["BACKEND"] in SHARED_CACHE_BACKENDS


def elasticsearch_without_shared_cache(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[checks.Error]:
    """The cluster's down and stale flags live in the cache, and the web server and the task
    worker are separate processes: with a per-process cache, a web process would go on
    searching a cluster the worker found out of date."""
    if settings.SEARCH_ELASTICSEARCH["URL"] and not cache_is_shared():
        return [
            checks.Error(
                "Elasticsearch is configured but the default cache is per process, so the "
                "flags that take a down or out-of-date cluster out of search are not shared.",
                hint="Set REDIS_URL to a Redis server the web and task processes share.",
                id="banlang.E003",
            )
        ]
    return []


def production_without_shared_cache(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[checks.Error]:
    """A deployment runs several processes; the archive's cached counts and the search flags
    must be the same in all of them."""
    if settings.BANLANG_PRODUCTION and not cache_is_shared():
        return [
            checks.Error(
                "Production settings use a per-process cache: each web and task process would "
                "keep its own copy of the archive's counts and of the search flags.",
                hint="Set REDIS_URL to a Redis server all processes share.",
                id="banlang.E004",
            )
        ]
    return []


def register() -> None:
    """Register the checks with Django's check framework."""
    checks.register(debug_in_production, checks.Tags.security)
    checks.register(weak_secret_key_in_production, checks.Tags.security)
    checks.register(elasticsearch_without_shared_cache, checks.Tags.caches)
    checks.register(production_without_shared_cache, checks.Tags.caches)
