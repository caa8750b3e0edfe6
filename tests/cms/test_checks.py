"""System checks refuse unsafe configurations: each runs ``manage.py check`` in its own process."""

import pytest

from tests.cms.test_settings import run_manage

PRODUCTION = {
    "SECRET_KEY": "k" * 32 + "Z9!q" * 10,
    "ALLOWED_HOSTS": "banlang.example",
    "OUTREACH_HASH_KEY": "h" * 50,
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def assert_refused(result, check_id):
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert f"({check_id})" in result.stderr, output
    assert "HINT:" in result.stderr
    assert "Traceback" not in output


def assert_passes(result):
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in result.stdout
    assert "banlang." not in output


def test_production_with_a_key_just_long_and_varied_enough_debug_off_and_redis_passes():
    # Exactly 50 characters, exactly 5 distinct ones: both limits are inclusive.
    assert_passes(run_manage("check", **{**PRODUCTION, "SECRET_KEY": "abcde" * 10}))


@pytest.mark.parametrize("settings_module", ["cms.settings.dev", "cms.settings.test"])
def test_the_dev_and_test_settings_pass(settings_module):
    assert_passes(run_manage("check", DJANGO_SETTINGS_MODULE=settings_module))


def test_production_refuses_debug(tmp_path):
    (tmp_path / "debug_production.py").write_text(
        "from cms.settings.production import *\n\nDEBUG = True\n"
    )
    result = run_manage(
        "check", DJANGO_SETTINGS_MODULE="debug_production", PYTHONPATH=str(tmp_path), **PRODUCTION
    )
    assert_refused(result, "banlang.E001")


@pytest.mark.parametrize(
    "secret_key",
    [
        "0123456789" * 4 + "abcdefghi",
        "ab" * 40,
        "dev-only-insecure-key-never-use-in-production",
        "test-only-insecure-key",
        "django-insecure-" + "0123456789abcdefghijklmnopqrstuvwxyz!@#$%^&*()",
    ],
    ids=[
        "forty-nine-characters",
        "two-distinct-characters",
        "the-dev-key",
        "the-test-key",
        "django-insecure-prefix",
    ],
)
def test_production_refuses_a_weak_secret_key(secret_key):
    result = run_manage("check", **{**PRODUCTION, "SECRET_KEY": secret_key})
    assert_refused(result, "banlang.E002")
    assert secret_key not in result.stdout + result.stderr


def test_production_refuses_the_per_process_cache():
    result = run_manage("check", **{**PRODUCTION, "REDIS_URL": ""})
    assert_refused(result, "banlang.E004")


def test_a_production_database_cache_is_shared(tmp_path):
    (tmp_path / "database_cache_production.py").write_text(
        "from cms.settings.production import *\n\n"
        'CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",'
        ' "LOCATION": "banlang_cache"}}\n'
    )
    result = run_manage(
        "check",
        DJANGO_SETTINGS_MODULE="database_cache_production",
        PYTHONPATH=str(tmp_path),
        **{**PRODUCTION, "REDIS_URL": ""},
    )
    assert_passes(result)


def test_elasticsearch_is_refused_without_a_shared_cache():
    result = run_manage(
        "check", DJANGO_SETTINGS_MODULE="cms.settings.dev", ELASTICSEARCH_URL="http://es:9200"
    )
    assert_refused(result, "banlang.E003")


def test_elasticsearch_with_redis_passes():
    result = run_manage(
        "check",
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        ELASTICSEARCH_URL="http://es:9200",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert_passes(result)
