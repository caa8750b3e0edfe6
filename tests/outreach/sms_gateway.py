"""A local HTTP SMS gateway holding the contract of ``outreach.channels.sms_gateway``: bearer
token, idempotency key (the same key answers the first answer, and sends nothing again),
JSON in and out. ``answers`` queues statuses to give instead (429, 503, 422…)."""

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOKEN = "gateway-token"


@dataclass
class Gateway:
    """What the gateway sent on, and what it was asked."""

    url: str
    sent: list[dict[str, Any]] = field(default_factory=list)
    requests: int = 0
    answers: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    by_key: dict[str, dict[str, Any]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _handler(gateway: Gateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def reply(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with gateway.lock:
                gateway.requests += 1
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    return self.reply(401, {"error": "unauthorized"})
                if gateway.answers:
                    return self.reply(*gateway.answers.pop(0))
                key = self.headers["Idempotency-Key"]
                if key not in gateway.by_key:
                    number = len(gateway.sent) + 1
                    parts = [f"gw-{number}-{part}" for part in range(1, body["parts"] + 1)]
                    gateway.sent.append(body)
                    gateway.by_key[key] = {"id": f"gw-{number}", "parts": parts}
                return self.reply(201, gateway.by_key[key])

    return Handler


@contextmanager
def sms_gateway() -> Iterator[Gateway]:
    """A running gateway on a free port, stopped afterwards."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gateway = Gateway(url=f"http://127.0.0.1:{port}/v1/sms")
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(gateway))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
