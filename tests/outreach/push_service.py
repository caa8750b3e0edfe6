"""A local web push service: checks each request's VAPID JWT (RFC 8292) with ``cryptography``
and decrypts its ``aes128gcm`` payload (RFC 8291) with ``http_ece``, as a browser's push
service and then the browser would.

Each subscription is a key pair and an auth secret made here, as a browser makes them.
``gone`` endpoints answer 410, ``busy`` ones 503.
"""

import base64
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


@dataclass
class Browser:
    """One subscription's secrets, kept by the "browser"."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    @property
    def keys(self) -> dict[str, str]:
        """The ``keys`` of the subscription a page would send us."""
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"p256dh": b64url(public), "auth": b64url(self.auth)}


@dataclass
class PushService:
    """What the service accepted, what it refused and why."""

    origin: str
    browsers: dict[str, Browser] = field(default_factory=dict)
    received: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)
    busy: list[str] = field(default_factory=list)
    vapid_public_key: str = ""
    waiting: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    """What each browser will be handed when it next connects (none connects here): a message
    with a ``Topic`` replaces the waiting one of the same topic (RFC 8030, section 5.4)."""

    def subscribe(self) -> Browser:
        """A new subscription, as ``pushManager.subscribe()`` would make it."""
        endpoint = f"{self.origin}/push/{os.urandom(8).hex()}"
        browser = Browser(endpoint, ec.generate_private_key(ec.SECP256R1()), os.urandom(16))
        self.browsers[endpoint] = browser
        return browser

    def check_vapid(self, authorization: str) -> str:
        """Why the ``Authorization`` header is not a valid VAPID one for us, or ``""``."""
        if not authorization.startswith("vapid "):
            return "no vapid scheme"
        parts = dict(part.strip().split("=", 1) for part in authorization[6:].split(","))
        token, key = parts.get("t", ""), parts.get("k", "")
        if self.vapid_public_key and key != self.vapid_public_key:
            return "unknown application server key"
        header, claims, signature = token.split(".")
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(key))
        raw = b64url_decode(signature)
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        try:
            public.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            return "bad signature"
        decoded = json.loads(b64url_decode(claims))
        if json.loads(b64url_decode(header)).get("alg") != "ES256":
            return "not ES256"
        if decoded.get("aud") != self.origin:
            return f"aud {decoded.get('aud')}"
        if not decoded.get("sub") or not 0 < decoded.get("exp", 0) - time.time() <= 24 * 3600:
            return "bad claims"
        return ""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A sender killed mid-connection (the crash test) is not the service's error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _handler(service: PushService) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        # Connections stay open between messages, as a push service's do.
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def answer(self, status: int, location: str = "") -> None:
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self) -> None:
            endpoint = service.origin + self.path
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if endpoint in service.gone:
                return self.answer(410)
            if endpoint in service.busy:
                service.busy.remove(endpoint)
                return self.answer(503)
            browser = service.browsers.get(endpoint)
            why = service.check_vapid(self.headers.get("Authorization", ""))
            if browser is None or why:
                service.refused.append(why or "unknown endpoint")
                return self.answer(401 if why else 404)
            if self.headers.get("Content-Encoding") != "aes128gcm" or "TTL" not in self.headers:
                service.refused.append("encoding or TTL")
                return self.answer(400)
            plain = http_ece.decrypt(
                body, private_key=browser.private_key, auth_secret=browser.auth, version="aes128gcm"
            )
            item = {
                "endpoint": endpoint,
                "payload": json.loads(plain),
                "ttl": self.headers["TTL"],
                "urgency": self.headers.get("Urgency"),
                "topic": self.headers.get("Topic"),
            }
            service.received.append(item)
            topic = item["topic"] or f"untopical-{len(service.received)}"
            service.waiting[endpoint, topic] = item
            return self.answer(201, f"/message/{len(service.received)}")

    return Handler


@contextmanager
def push_service() -> Iterator[PushService]:
    """A running push service on a free port, stopped afterwards."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    service = PushService(origin=f"http://127.0.0.1:{port}")
    server = _Server(("127.0.0.1", port), _handler(service))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()
