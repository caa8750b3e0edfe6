"""What an SMSC sends on its own over SMPP: receipts for our parts, and residents' messages.

Both arrive as ``deliver_sm``: on the bind of a worker waiting for its answers, or on the bind
of ``manage.py smpp_listen``. Receipts move messages forward (``outreach.receipts``); a
resident's message is answered at once on the same bind (``outreach.inbound``).
"""

import logging

from outreach import inbound, receipts
from outreach.channels.smpp import Incoming, Session, session
from outreach.models import Channel

logger = logging.getLogger(__name__)


def process(items: list[Incoming], session: Session) -> None:
    """Apply each receipt; answer each resident's message through ``session``."""
    for item in items:
        if item.is_receipt:
            receipt = receipts.parse(item.text)
            if receipt is None or receipts.record(receipt, Channel.SMS) is None:
                logger.warning("SMPP receipt for no known part: %r", item.text[:120])
            continue
        reply = inbound.handle(item.source, item.text)
        session.submit(f"+{item.source.lstrip('+')}", reply.text)


def drain() -> None:
    """Process what this worker's bind has read so far, if SMS goes over SMPP here."""
    current = session()
    if current.incoming:
        process(current.take_incoming(), current)
