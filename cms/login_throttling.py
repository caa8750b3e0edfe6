"""Login throttling with django-axes: whom failures are counted against, and the lockout page.

Failed sign-ins to either admin are counted per username (from any address) and per client
address (across usernames); reaching ``AXES_FAILURE_LIMIT`` on either pauses sign-in for that
username or address for ``AXES_COOLOFF_TIME``. The settings that wire this up are in
``cms/settings/base.py``.
"""

import ipaddress
import math
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from axes.utils import reset
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers

IPV6_CLIENT_PREFIX = 64
"""An IPv6 client usually holds a whole /64, and can pick any address in it for each request."""


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' lockout check, run before any backend tries the password.

    Sign-in through a web form always passes the request. A call without one (a script, the
    shell) has no client to count, so it goes on to the next backend instead of failing.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        """Refuse a locked-out client; otherwise let the next backend decide."""
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def client_ip_address(request: HttpRequest) -> str:
    """The address failures are counted against (``AXES_CLIENT_IP_CALLABLE``).

    ``REMOTE_ADDR``, unless the deployment says it sits behind ``TRUSTED_PROXY_COUNT`` proxies:
    each of them appends the address it received the request from to ``X-Forwarded-For``, so
    the client is that many entries from the right. Entries further left are whatever the
    client sent and are never read. An IPv6 address stands for its whole /64.
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if proxies > 0 and len(forwarded) >= proxies and is_ip_address(forwarded[-proxies]):
        address = forwarded[-proxies]
    if not is_ip_address(address):
        return address
    parsed = ipaddress.ip_address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(
            ipaddress.IPv6Network((parsed, IPV6_CLIENT_PREFIX), strict=False).network_address
        )
    return str(parsed)


def is_ip_address(text: str) -> bool:
    """Whether ``text`` is an IPv4 or IPv6 address."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def admin_language() -> str:
    """The active language if the admin speaks it, the default language otherwise."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    admin_languages = {code for code, _name in settings.WAGTAILADMIN_PERMITTED_LANGUAGES}
    return current if current in admin_languages else settings.LANGUAGE_CODE


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None,
    credentials: dict[str, Any] | None,
) -> HttpResponse:
    """The page a locked-out sign-in gets (``AXES_LOCKOUT_CALLABLE``): ``429``, in the admin's
    language, saying for how long sign-in is paused.

    It names neither the username nor the reason (account or address), so it reads the same
    whether or not the account exists.
    """
    cool_off = get_cool_off(request)
    language = admin_language()
    with translation.override(language):
        body = render_to_string(
            "login_locked.html",
            {"minutes": math.ceil(cool_off.total_seconds() / 60), "login_url": request.path},
            request=request,
        )
    response = HttpResponse(body, status=settings.AXES_HTTP_RESPONSE_CODE)  # type: ignore[misc]  # axes sets its default at start
    response["Content-Language"] = language
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    add_never_cache_headers(response)
    return response


def forget_the_accounts_failures(
    sender: type, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any
) -> None:
    """After a successful sign-in, forget the failures recorded against that username.

    Failures from the same address against other usernames stay counted. Axes' own
    ``AXES_RESET_ON_SUCCESS`` clears those too, which would let anyone with an account wipe
    their address's count by signing in to it between guesses at someone else's password.
    """
    reset(username=user.get_username())


def register() -> None:
    """Connect the reset of an account's failures to successful sign-ins."""
    user_logged_in.connect(forget_the_accounts_failures, dispatch_uid="banlang_login_throttling")
