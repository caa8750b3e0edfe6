"""Zalo Notification Service (ZNS): a pre-approved template, sent to the Zalo account of a
phone number.

``POST <API_URL>`` with header ``access_token`` and JSON ``{"phone": "849…", "template_id",
"template_data": {"content", "url"}, "tracking_id"}``, both template parameters required; the
answer is ``{"error": 0, "data": {"msg_id": …}}`` or a negative ``error``. An access token lives
about a day; when Zalo says it is invalid or expired, it is renewed once with the refresh
token (``POST <OAUTH_URL>``, header ``secret_key``, form ``app_id``,
``grant_type=refresh_token``, ``refresh_token``), and the new pair is kept: a refresh token
serves once.
"""

import datetime
from typing import Any

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from outreach.channels.base import Outgoing, PermanentFailure, Sent, TemporaryFailure
from outreach.models import ProviderToken

PROVIDER = "zalo"
TOKEN_ERRORS = frozenset({-124, -216})
"""ZNS errors that mean the access token is invalid or expired."""
TEMPORARY_ERRORS = frozenset({-32, -108})
"""ZNS errors worth trying again: rate limit exceeded, and a quota not yet renewed."""
CONTENT_LIMIT = 400
"""The longest value a ZNS template parameter takes."""


def _config() -> dict[str, Any]:
    config: dict[str, Any] = settings.BANLANG_OUTREACH["ZALO"]
    return config


def _token() -> ProviderToken:
    token, _ = ProviderToken.objects.get_or_create(
        provider=PROVIDER, defaults={"refresh_token": _config()["REFRESH_TOKEN"]}
    )
    return token


def renew() -> str:
    """A new access token, from the kept refresh token; the new refresh token is kept."""
    config = _config()
    with transaction.atomic():
        token = ProviderToken.objects.select_for_update().get(pk=_token().pk)
        try:
            response = requests.post(
                config["OAUTH_URL"],
                headers={"secret_key": config["SECRET_KEY"]},
                data={
                    "app_id": config["APP_ID"],
                    "grant_type": "refresh_token",
                    "refresh_token": token.refresh_token,
                },
                timeout=config["TIMEOUT"],
            )
            answer = response.json()
        except (requests.RequestException, ValueError) as error:
            raise TemporaryFailure(f"Zalo OAuth: {type(error).__name__}") from error
        if "access_token" not in answer:
            raise PermanentFailure(f"Zalo OAuth refused: {answer.get('error_name', answer)}")
        token.access_token = answer["access_token"]
        token.refresh_token = answer.get("refresh_token", token.refresh_token)
        token.expires_at = timezone.now() + datetime.timedelta(
            seconds=int(answer.get("expires_in", 0))
        )
        token.save()
        return token.access_token


class ZaloChannel:
    """Sends each message through the bulletin template to the number's Zalo account."""

    def send(self, message: Outgoing) -> Sent:
        """Post ``message``; renew the access token once if Zalo refuses it. A message without
        a link is refused unsent: the template's ``url`` is required."""
        if not message.link:
            raise PermanentFailure("Zalo: the template needs a link, and this message has none.")
        access = _token().access_token or renew()
        answer = self._post(message, access)
        if answer.get("error") in TOKEN_ERRORS:
            answer = self._post(message, renew())
        error = answer.get("error")
        if error == 0:
            return Sent(provider_id=str(answer["data"]["msg_id"]))
        if error in TEMPORARY_ERRORS or error in TOKEN_ERRORS:
            raise TemporaryFailure(f"Zalo {error} {answer.get('message', '')}".strip())
        raise PermanentFailure(f"Zalo {error} {answer.get('message', '')}".strip())

    def _post(self, message: Outgoing, access: str) -> dict[str, Any]:
        config = _config()
        body = {
            "phone": message.to.removeprefix("+"),
            "template_id": config["TEMPLATE_ID"],
            "template_data": {"content": message.text[:CONTENT_LIMIT], "url": message.link},
            "tracking_id": message.key,
        }
        try:
            response = requests.post(
                config["API_URL"],
                json=body,
                headers={"access_token": access},
                timeout=config["TIMEOUT"],
            )
            if response.status_code >= 500:
                raise TemporaryFailure(f"Zalo {response.status_code}")
            answer: dict[str, Any] = response.json()
        except (requests.RequestException, ValueError) as error:
            raise TemporaryFailure(f"Zalo: {type(error).__name__}") from error
        return answer
