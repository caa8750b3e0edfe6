"""``manage.py smpp_listen``: keep a bind to the SMSC open for receipts and residents' messages.

Workers read what arrives while they send; this reads what arrives between bulletins, and
answers residents' messages at once. A lost bind is opened again after a pause.
"""

import logging
import time
from typing import Any

import smpplib.exceptions
from django.core.management.base import BaseCommand

from outreach import sms_incoming
from outreach.channels import smpp

logger = logging.getLogger(__name__)

PAUSE_SECONDS = 5
"""Wait before binding again after the SMSC went away."""


class Command(BaseCommand):
    """Listen on an SMPP bind until stopped (or for ``--seconds``)."""

    help = "Receive SMPP delivery receipts and residents' messages, and answer the messages."

    def add_arguments(self, parser: Any) -> None:
        """``--seconds``: stop after this long (for tests and one-off runs)."""
        parser.add_argument("--seconds", type=float, default=0)

    def handle(self, *args: Any, **options: Any) -> None:
        """Read, apply and answer, binding again whenever the bind is lost."""
        until = time.monotonic() + options["seconds"] if options["seconds"] else None
        session = smpp.session()
        while until is None or time.monotonic() < until:
            try:
                session.listen_once()
                sms_incoming.drain()
            except (OSError, smpplib.exceptions.ConnectionError, smpplib.exceptions.PDUError):
                logger.warning("SMPP bind lost; binding again in %s s", PAUSE_SECONDS)
                session.close()
                time.sleep(PAUSE_SECONDS)
        session.close()
