"""SMS through an aggregator's HTTP API: one JSON request per message, with an idempotency key.

The contract (what aggregators in Vietnam offer, in one documented shape; an adapter for a
particular aggregator maps its own fields onto it)::

    POST <URL>
    Authorization: Bearer <TOKEN>
    Idempotency-Key: <the message's key>
    {"to": "+849…", "from": "BanLang", "text": "…", "encoding": "ucs2", "parts": 1,
     "callback": "https://…/outreach/sms/receipts/"}

    201 or 200 {"id": "…", "parts": ["…", …]}

The same key sent again (a retry after a crash) gets the first answer and no second SMS. 429
and 5xx answers and timeouts are temporary; 400 and 422 are permanent (``gone`` when the
gateway says the number does not exist).
"""

from typing import Any

import requests
from django.conf import settings

from outreach import sms
from outreach.channels.base import Outgoing, PermanentFailure, Sent, TemporaryFailure

GONE_CODES = frozenset({"invalid_number", "unknown_subscriber"})


def _config() -> dict[str, Any]:
    config: dict[str, Any] = settings.BANLANG_OUTREACH["SMS_GATEWAY"]
    return config


class SmsGatewayChannel:
    """Posts each message to the gateway; retries are safe by the idempotency key."""

    def send(self, message: Outgoing) -> Sent:
        """Hand ``message`` to the gateway; its id for the message and for each part."""
        config = _config()
        size = sms.size(message.text)
        body = {
            "to": message.to,
            "from": config["SENDER"],
            "text": message.text,
            "encoding": size.encoding,
            "parts": size.parts,
            "callback": config["CALLBACK_URL"],
        }
        try:
            response = requests.post(
                config["URL"],
                json=body,
                headers={
                    "Authorization": f"Bearer {config['TOKEN']}",
                    "Idempotency-Key": message.key,
                },
                timeout=config["TIMEOUT"],
            )
        except requests.RequestException as error:
            raise TemporaryFailure(f"SMS gateway: {type(error).__name__}") from error
        if response.status_code == 429 or response.status_code >= 500:
            raise TemporaryFailure(f"SMS gateway {response.status_code}")
        try:
            answer = response.json()
        except ValueError as error:
            raise TemporaryFailure(f"SMS gateway {response.status_code}: not JSON") from error
        if response.status_code not in (200, 201):
            code = str(answer.get("error", "")) if isinstance(answer, dict) else ""
            raise PermanentFailure(
                f"SMS gateway {response.status_code} {code}".strip(), gone=code in GONE_CODES
            )
        parts = tuple(str(part) for part in answer.get("parts") or [answer["id"]])
        return Sent(provider_id=str(answer["id"]), part_ids=parts)
