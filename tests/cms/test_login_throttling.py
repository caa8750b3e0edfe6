"""Sign-in is paused after repeated failures, per account and per client address (issue 11)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import get_user_model
from django.db.models import F
from django.test import override_settings

PASSWORD = "the-right-password"
LIMIT = 5
WAGTAIL_LOGIN = "/admin/login/"
DJANGO_LOGIN = "/django-admin/login/"
LOCKED_TEXT = {
    "vi": ("Tạm dừng đăng nhập", "tạm dừng trong 15 phút"),
    "en": ("Sign-in paused", "paused for 15 minutes"),
}


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)


@pytest.fixture
def mallory(db):
    return get_user_model().objects.create_superuser("mallory", "mallory@example.org", PASSWORD)


def sign_in(client, username, password, path=WAGTAIL_LOGIN, ip="203.0.113.10", **headers):
    return client.post(
        path, {"username": username, "password": password}, REMOTE_ADDR=ip, **headers
    )


def fail(client, times, username="editor", **kwargs):
    return [sign_in(client, username, "wrong", **kwargs).status_code for _ in range(times)]


def signed_in(client):
    return "_auth_user_id" in client.session


def assert_locked(response, language="vi"):
    body = response.content.decode()
    title, duration = LOCKED_TEXT[language]
    assert response.status_code == 429
    assert f'<html lang="{language}"' in body
    assert title in body
    assert duration in body
    assert response["Content-Language"] == language
    assert response["Retry-After"] == "900"
    assert "Traceback" not in body
    assert "editor" not in body


@pytest.mark.parametrize("path", [WAGTAIL_LOGIN, DJANGO_LOGIN])
@pytest.mark.parametrize(("accept", "language"), [("vi", "vi"), ("en-GB,en;q=0.9", "en")])
def test_after_five_wrong_passwords_the_right_one_is_refused_with_the_lockout_page(
    client, editor, path, accept, language
):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept}
    assert fail(client, LIMIT - 1, path=path, **headers) == [200] * (LIMIT - 1)
    assert_locked(sign_in(client, "editor", "wrong", path=path, **headers), language)

    response = sign_in(client, "editor", PASSWORD, path=path, **headers)

    assert_locked(response, language)
    assert not signed_in(client)


def test_a_language_the_admin_is_not_in_gets_the_vietnamese_lockout_page(client, editor):
    fail(client, LIMIT, HTTP_ACCEPT_LANGUAGE="hmn")
    assert_locked(sign_in(client, "editor", PASSWORD, HTTP_ACCEPT_LANGUAGE="hmn"), "vi")


def test_both_admin_logins_count_towards_one_limit(client, editor):
    fail(client, 3, path=WAGTAIL_LOGIN)
    fail(client, 2, path=DJANGO_LOGIN)
    assert_locked(sign_in(client, "editor", PASSWORD, path=WAGTAIL_LOGIN))


def test_failures_for_one_username_from_two_addresses_lock_that_username_everywhere(
    client, editor, mallory
):
    fail(client, 3, ip="203.0.113.1")
    fail(client, 2, ip="203.0.113.2")

    assert_locked(sign_in(client, "editor", PASSWORD, ip="203.0.113.3"))
    assert not signed_in(client)
    # The third address itself is not locked: another account signs in from it.
    assert sign_in(client, "mallory", PASSWORD, ip="203.0.113.3").status_code == 302
    assert signed_in(client)


def test_failures_from_one_address_across_usernames_lock_that_address(client, editor):
    for number in range(LIMIT):
        sign_in(client, f"guess-{number}", "wrong", ip="203.0.113.7")

    assert_locked(sign_in(client, "editor", PASSWORD, ip="203.0.113.7"))
    assert not signed_in(client)
    # The account itself is not locked: from another address it signs in.
    assert sign_in(client, "editor", PASSWORD, ip="203.0.113.8").status_code == 302
    assert signed_in(client)


def test_the_lockout_page_is_the_same_for_a_username_that_does_not_exist(client, editor):
    fail(client, LIMIT, username="editor", ip="203.0.113.21")
    fail(client, LIMIT, username="nobody-by-this-name", ip="203.0.113.22")

    existing = sign_in(client, "editor", PASSWORD, ip="203.0.113.21")
    missing = sign_in(client, "nobody-by-this-name", PASSWORD, ip="203.0.113.22")

    assert_locked(existing)
    assert (missing.status_code, missing.content) == (existing.status_code, existing.content)
    assert missing.headers.keys() == existing.headers.keys()
    assert headers_but_the_clock(missing) == headers_but_the_clock(existing)


def headers_but_the_clock(response):
    return {name: value for name, value in response.headers.items() if name != "Expires"}


def test_addresses_in_one_ipv6_64_count_as_one_client(client, editor):
    for number in range(LIMIT):
        sign_in(client, f"guess-{number}", "wrong", ip=f"2001:db8:1:2::{number + 1:x}")

    assert_locked(sign_in(client, "editor", PASSWORD, ip="2001:db8:1:2:ffff::1"))
    assert sign_in(client, "editor", PASSWORD, ip="2001:db8:1:3::1").status_code == 302


def test_a_forged_forwarded_for_header_is_ignored_when_no_proxy_is_trusted(client, editor):
    for number in range(LIMIT):
        sign_in(
            client,
            f"guess-{number}",
            "wrong",
            ip="203.0.113.30",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number + 1}",
        )

    response = sign_in(
        client, "editor", PASSWORD, ip="203.0.113.30", HTTP_X_FORWARDED_FOR="198.51.100.99"
    )

    assert_locked(response)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.30"}


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_trusted_proxy_the_client_is_the_address_it_forwarded(client, editor):
    proxy = "10.0.0.2"
    for number in range(LIMIT):
        # The client prepends addresses of its own; the proxy appends the one it saw.
        forwarded = f"192.0.2.{number + 1}, 198.51.100.7"
        sign_in(client, f"guess-{number}", "wrong", ip=proxy, HTTP_X_FORWARDED_FOR=forwarded)

    locked = sign_in(client, "editor", PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert_locked(locked)
    # Another client behind the same proxy is not locked.
    other = sign_in(client, "editor", PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_two_trusted_proxies_the_client_is_second_from_the_right(client, editor):
    for number in range(LIMIT):
        forwarded = f"192.0.2.{number + 1}, 198.51.100.7, 10.0.0.1"
        sign_in(client, f"guess-{number}", "wrong", ip="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)

    forwarded = "198.51.100.7, 10.0.0.1"
    assert_locked(
        sign_in(client, "editor", PASSWORD, ip="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_forwarded_address_that_is_not_an_address_counts_as_the_proxy(client, editor):
    fail(client, LIMIT, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.0.0.2"}


def test_sign_in_works_again_once_the_cool_off_has_passed(client, editor):
    fail(client, LIMIT)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=14))
    assert_locked(sign_in(client, "editor", PASSWORD))

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=15, seconds=1))
    response = sign_in(client, "editor", PASSWORD)

    assert response.status_code == 302
    assert signed_in(client)


def test_a_successful_sign_in_forgets_the_accounts_failures(client, editor):
    fail(client, 2, ip="203.0.113.41")
    fail(client, 2, ip="203.0.113.42")
    assert sign_in(client, "editor", PASSWORD, ip="203.0.113.42").status_code == 302
    client.logout()

    assert fail(client, LIMIT - 1, ip="203.0.113.41") == [200] * (LIMIT - 1)
    assert sign_in(client, "editor", PASSWORD, ip="203.0.113.41").status_code == 302
    assert not AccessLog.objects.exists()


def test_signing_in_to_ones_own_account_keeps_the_failures_against_another(client, editor, mallory):
    fail(client, LIMIT - 1, username="editor", ip="203.0.113.50")
    assert sign_in(client, "mallory", PASSWORD, ip="203.0.113.50").status_code == 302
    client.logout()

    assert_locked(sign_in(client, "editor", "wrong", ip="203.0.113.50"))
    assert_locked(sign_in(client, "editor", PASSWORD, ip="203.0.113.51"))
