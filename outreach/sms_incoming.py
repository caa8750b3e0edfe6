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
    """Apply the receipts, together; answer each resident's message through ``session``."""
    found = []
    for item in items:
        if not item.is_receipt:
            reply = inbound.handle(item.source, item.text)
            session.submit(f"+{item.source.lstrip('+')}", reply.text)
        elif (receipt := receipts.parse(item.text)) is not None:
            found.append(receipt)
        else:
            logger.warning("SMPP receipt we cannot read: %r", item.text[:120])
    states = receipts.record_many(found, Channel.SMS) if found else {}
    for part in sorted(part for part, state in states.items() if state is None):
        logger.warning("SMPP receipt for no known part: %s", part)


def drain() -> None:
    """Process what this worker's bind has read so far, if SMS goes over SMPP here."""
    current = session()
    if current.incoming:
        process(current.take_incoming(), current)
