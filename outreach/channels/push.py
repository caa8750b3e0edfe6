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
import time
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from py_vapid import Vapid02
from pywebpush import WebPusher, WebPushException

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


VAPID_LIFETIME = 12 * 3600
"""How long a signed VAPID header is valid (RFC 8292 allows at most 24 hours)."""
_vapid_signed: dict[tuple[str, str, str], tuple[float, dict[str, str]]] = {}
_vapid_lock = threading.Lock()


def vapid_headers(endpoint: str) -> dict[str, str]:
    """The VAPID ``Authorization`` header for ``endpoint``'s push service: signed once per
    service and reused until an hour before it expires, as a signature per message would cost
    more than the message."""
    config = _config()
    parts = urlsplit(endpoint)
    audience = f"{parts.scheme}://{parts.netloc}"
    key = (audience, config["VAPID_PRIVATE_KEY"], config["VAPID_SUBJECT"])
    now = time.time()
    with _vapid_lock:
        found = _vapid_signed.get(key)
        if found is None or found[0] - now < 3600:
            expires = int(now) + VAPID_LIFETIME
            claims = {"sub": config["VAPID_SUBJECT"], "aud": audience, "exp": expires}
            signer = Vapid02.from_string(config["VAPID_PRIVATE_KEY"])
            found = _vapid_signed[key] = (expires, signer.sign(claims))
    return dict(found[1])


class PushChannel:
    """Sends each message to its browser's push service."""

    def send(self, message: Outgoing) -> Sent:
        """Encrypt ``message`` for its subscription and hand it to the push service."""
        config = _config()
        headers = {"Urgency": "high" if message.urgent else "normal", "Topic": topic(message.key)}
        headers.update(vapid_headers(message.to))
        try:
            response = WebPusher(
                {"endpoint": message.to, "keys": message.details}, requests_session=_session()
            ).send(
                payload(message),
                headers,
                ttl=config["TTL_SECONDS"],
                timeout=config["TIMEOUT"],
            )
        except requests.RequestException as error:
            raise TemporaryFailure(f"push service: {type(error).__name__}") from error
        except (WebPushException, ValueError) as error:  # keys that are not a browser's keys
            raise PermanentFailure(f"push subscription: {error}") from error
        if not isinstance(response, requests.Response):
            raise PermanentFailure("push service gave no response")
        status = response.status_code
        if status in GONE:
            raise PermanentFailure(f"push service {status}", gone=True)
        if status == 429 or status >= 500:
            raise TemporaryFailure(f"push service {status}")
        if status > 202:
            raise PermanentFailure(f"push service {status}")
        return Sent(provider_id=response.headers.get("Location", "")[:200])
