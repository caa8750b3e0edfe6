"""Deployment settings: refuse to start misconfigured, pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    inherited = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DEBUG",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "REDIS_URL",
            "ELASTICSEARCH_URL",
            "TRUSTED_PROXY_COUNT",
            "OUTREACH_HASH_KEY",
        }
    }
    environment = {**inherited, "DJANGO_SETTINGS_MODULE": "cms.settings.production", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", ALLOWED_HOSTS="banlang.example")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", SECRET_KEY="x" * 60, ALLOWED_HOSTS="")
    assert result.returncode != 0
    assert "Set ALLOWED_HOSTS" in result.stderr


def test_production_refuses_to_start_without_an_outreach_hash_key():
    result = run_manage("check", SECRET_KEY="x" * 60, ALLOWED_HOSTS="banlang.example")
    assert result.returncode != 0
    assert "Set OUTREACH_HASH_KEY" in result.stderr


def test_production_settings_pass_the_deployment_checks():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="k" * 32 + "Z9!q" * 10,
        ALLOWED_HOSTS="banlang.example",
        OUTREACH_HASH_KEY="h" * 50,
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_suite_runs_with_the_test_settings():
    from django.conf import settings

    assert settings.SETTINGS_MODULE == "cms.settings.test"
    assert settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")
