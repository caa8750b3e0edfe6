"""Web push (RFC 8030) with VAPID (RFC 8292) and ``aes128gcm`` payloads (RFC 8291), by pywebpush.

The payload is what the service worker shows: ``{"title", "body", "url", "lang"}``. ``TTL``
says how long the push service keeps a message for a phone that is off; ``Urgency`` is ``high``
for urgent bulletins (phones wake for them) and ``normal`` otherwise; ``Topic`` lets a newer
push of the same bulletin replace one not yet delivered. A 404 or 410 means the browser dropped
the subscription: the failure is permanent and the contact is removed.
"""

import base64
import hashlib
import json
import threading
from typing import Any

import requests
from django.conf import settings
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from outreach.channels.base import Outgoing, PermanentFailure, Sent, TemporaryFailure

GONE = (404, 410)


def _config() -> dict[str, Any]:
    config: dict[str, Any] = settings.BANLANG_OUTREACH["PUSH"]
    return config


def topic(key: str) -> str:
    """A ``Topic`` header value for ``key``: at most 32 URL-safe base64 characters."""
    digest = hashlib.sha256(key.encode()).digest()[:24]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def payload(message: Outgoing) -> str:
    """The JSON the service worker turns into a notification."""
    return json.dumps(
        {
            "title": message.subject,
            "body": message.text,
            "url": message.link,
            "lang": message.language,
        },
        ensure_ascii=False,
    )


_sessions = threading.local()


def _session() -> requests.Session:
    """This thread's HTTP session: connections to a push service are kept open between
    messages, as most subscribers of a country share a few push services."""
    if not hasattr(_sessions, "current"):
        _sessions.current = requests.Session()
    current: requests.Session = _sessions.current
    return current


class PushChannel:
    """Sends each message to its browser's push service."""

    def send(self, message: Outgoing) -> Sent:
        """Encrypt ``message`` for its subscription and hand it to the push service."""
        config = _config()
        headers = {"Urgency": "high" if message.urgent else "normal", "Topic": topic(message.key)}
        try:
            response = webpush(
                subscription_info={"endpoint": message.to, "keys": message.details},
                data=payload(message),
                vapid_private_key=Vapid02.from_string(config["VAPID_PRIVATE_KEY"]),
                vapid_claims={"sub": config["VAPID_SUBJECT"]},
                ttl=config["TTL_SECONDS"],
                timeout=config["TIMEOUT"],
                headers=headers,
                requests_session=_session(),
            )
        except WebPushException as error:
            status = error.response.status_code if error.response is not None else 0
            if status in GONE:
                raise PermanentFailure(f"push service {status}", gone=True) from error
            if status == 429 or status >= 500 or status == 0:
                raise TemporaryFailure(f"push service {status or error}") from error
            raise PermanentFailure(f"push service {status}") from error
        except requests.RequestException as error:
            raise TemporaryFailure(f"push service: {type(error).__name__}") from error
        if not isinstance(response, requests.Response):
            raise PermanentFailure("push service gave no response")
        return Sent(provider_id=response.headers.get("Location", "")[:200])
