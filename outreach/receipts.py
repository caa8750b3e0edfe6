"""Delivery receipts: late, twice or out of order, they only ever move a message forward.

An SMSC's receipt names the part it is about (``id:…``) and its final state (``stat:DELIVRD``,
``UNDELIV``, ``EXPIRED``…). A message sent in parts is delivered once every part is; one part
that failed or expired fails or expires the message. A receipt for a message already in a final
state changes nothing.
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from outreach.models import Message, MessagePart, MessageState

RECEIPT = re.compile(r"\bid:(?P<id>\S+).*?\bstat:(?P<stat>[A-Z]+)", re.DOTALL)
STATES = {
    "DELIVRD": MessageState.DELIVERED,
    "UNDELIV": MessageState.FAILED,
    "REJECTD": MessageState.FAILED,
    "DELETED": MessageState.FAILED,
    "EXPIRED": MessageState.EXPIRED,
}
"""Receipt states that are final; ``ENROUTE``, ``ACCEPTD`` and ``UNKNOWN`` change nothing."""
NOT_FINAL = (MessageState.QUEUED, MessageState.SENDING, MessageState.SENT)


@dataclass(frozen=True)
class Receipt:
    """What a receipt says: which part, and what became of it."""

    provider_id: str
    state: MessageState | None


def parse(text: str) -> Receipt | None:
    """The receipt in an SMSC's ``deliver_sm`` text, or ``None`` if it is not one."""
    found = RECEIPT.search(text)
    if found is None:
        return None
    return Receipt(found["id"], STATES.get(found["stat"]))


def record(receipt: Receipt, channel: str) -> MessageState | None:
    """Apply ``receipt`` to the message whose part it names; the message's state after it, or
    ``None`` for a part nobody knows."""
    with transaction.atomic():
        part = (
            MessagePart.objects.select_for_update()
            .select_related("message")
            .filter(provider_id=receipt.provider_id, message__channel=channel)
            .first()
        )
        if part is None:
            return None
        message = part.message
        if receipt.state == MessageState.DELIVERED:
            if part.delivered_at is None:
                part.delivered_at = timezone.now()
                part.save(update_fields=["delivered_at"])
            if not message.parts.filter(delivered_at__isnull=True).exists():
                Message.objects.filter(pk=message.pk, state__in=NOT_FINAL).update(
                    state=MessageState.DELIVERED, delivered_at=timezone.now(), lease_until=None
                )
        elif receipt.state is not None:
            Message.objects.filter(pk=message.pk, state__in=NOT_FINAL).update(
                state=receipt.state, error=f"Receipt: {receipt.state}", lease_until=None
            )
        return Message.objects.values_list("state", flat=True).get(pk=message.pk)
