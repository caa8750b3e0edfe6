"""A real SMTP server on a free local port (aiosmtpd), keeping what it receives.

``refuse`` makes it answer the next recipients with an SMTP code (``"451 4.3.0 Try later"``),
as a provider under load or a mailbox that does not exist would.
"""

import email
import email.policy
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Mailbox:
    """What the server received, and the answers it is told to give.

    Messages are kept as they came and parsed when read, as a mail server queues a message
    without parsing it: parsing each on arrival made this server, not the sender, the
    benchmark's pace.
    """

    envelopes: list[tuple[list[str], bytes]] = field(default_factory=list)
    """Each message's recipients (``RCPT TO``) and its bytes, in the order they came."""
    refusals: list[str] = field(default_factory=list)
    _parsed: list[EmailMessage] = field(default_factory=list)

    @property
    def received(self) -> list[EmailMessage]:
        """The messages received so far, parsed."""
        for _recipients, content in self.envelopes[len(self._parsed) :]:
            self._parsed.append(email.message_from_bytes(content, policy=email.policy.default))
        return self._parsed

    def recipients(self) -> list[str]:
        """The recipient of each message received, as many times as it got one."""
        return [address for recipients, _content in self.envelopes for address in recipients]

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.refusals:
            return self.refusals.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    """A running server and its port, stopped afterwards."""
    mailbox = Mailbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()
