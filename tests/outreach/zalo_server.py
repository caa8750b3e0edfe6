"""A local server holding Zalo's documented contract: the ZNS template message API and the
OAuth endpoint that renews access tokens with single-use refresh tokens."""

import json
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SECRET_KEY = "zalo-app-secret"
APP_ID = "1234567890"


@dataclass
class Zalo:
    """The tokens it accepts, and what it delivered."""

    origin: str
    access_token: str = "access-1"
    refresh_token: str = "refresh-1"
    renewals: int = 0
    messages: list[dict[str, Any]] = field(default_factory=list)
    errors: list[int] = field(default_factory=list)

    def expire(self) -> None:
        """The access token runs out, as it does after about a day."""
        self.access_token = f"expired-{self.renewals}"


def _handler(zalo: Zalo) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def reply(self, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers["Content-Length"]))
            if self.path == "/v4/oa/access_token":
                form = dict(urllib.parse.parse_qsl(raw.decode()))
                valid = (
                    self.headers.get("secret_key") == SECRET_KEY
                    and form.get("app_id") == APP_ID
                    and form.get("grant_type") == "refresh_token"
                    and form.get("refresh_token") == zalo.refresh_token
                )
                if not valid:
                    return self.reply({"error": -14014, "error_name": "Invalid refresh token"})
                zalo.renewals += 1
                zalo.access_token = f"access-{zalo.renewals + 1}"
                zalo.refresh_token = f"refresh-{zalo.renewals + 1}"
                return self.reply(
                    {
                        "access_token": zalo.access_token,
                        "refresh_token": zalo.refresh_token,
                        "expires_in": "90000",
                    }
                )
            body = json.loads(raw)
            if self.headers.get("access_token") != zalo.access_token:
                return self.reply({"error": -124, "message": "Access token is invalid"})
            if zalo.errors:
                return self.reply({"error": zalo.errors.pop(0), "message": "refused"})
            zalo.messages.append(body)
            return self.reply(
                {"error": 0, "message": "Success", "data": {"msg_id": f"zns-{len(zalo.messages)}"}}
            )

    return Handler


@contextmanager
def zalo_server() -> Iterator[Zalo]:
    """A running server on a free port, stopped afterwards."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    zalo = Zalo(origin=f"http://127.0.0.1:{port}")
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(zalo))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield zalo
    finally:
        server.shutdown()
        server.server_close()
