"""``manage.py send_outbox``: a sender that runs for good, beside the task workers.

It sends what falls due while no task is sending: messages held by the quiet hours, retries
after a temporary failure, and the messages of a worker that died mid-send, once its lease
runs out. Run one or more (each may keep to some channels); they share the work and each
channel's throughput cap through the database. SIGTERM stops it when its round ends.
"""

import signal
import threading
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from outreach import bulletins, delivery
from outreach.models import Channel

IDLE_SECONDS = 1.0
"""How long a sender waits before looking again when nothing is due."""
ROUND_SECONDS = 5.0
"""How long a sender sends before it marks finished bulletins and looks for a stop."""


class Command(BaseCommand):
    """Send due outbox messages until stopped (or for ``--seconds``)."""

    help = "Send the outbox's due messages until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        """``--channel`` (repeatable) keeps to those channels; ``--seconds`` stops after that
        long (for tests and one-off runs)."""
        parser.add_argument("--channel", action="append", choices=Channel.values, default=None)
        parser.add_argument("--seconds", type=float, default=0)

    def handle(self, *args: Any, **options: Any) -> None:
        """Send in rounds; wait a moment whenever nothing is due."""
        stopping = threading.Event()

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        until = time.monotonic() + options["seconds"] if options["seconds"] else None
        while not stopping.is_set() and (until is None or time.monotonic() < until):
            left = ROUND_SECONDS if until is None else min(ROUND_SECONDS, until - time.monotonic())
            sent = delivery.send_due(channels=options["channel"], seconds=max(left, 0))
            bulletins.finish_sent()
            if not sent:
                stopping.wait(IDLE_SECONDS)
