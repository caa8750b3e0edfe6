"""Delivery receipts: late, twice or out of order, they only ever move a message forward.

An SMSC's receipt names the part it is about (``id:…``) and its final state (``stat:DELIVRD``,
``UNDELIV``, ``EXPIRED``…). A message sent in parts is delivered once every part is; one part
that failed or expired fails or expires the message. A receipt for a message already in a final
state changes nothing.
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
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


def record(receipt: Receipt, channel: str) -> str | None:
    """Apply ``receipt`` to the message whose part it names; the message's state after it, or
    ``None`` for a part nobody knows."""
    return record_many([receipt], channel)[receipt.provider_id]


def record_many(batch: list[Receipt], channel: str) -> dict[str, str | None]:
    """Apply ``batch`` in a few statements, as applying each receipt in turn would; for each
    part named, its message's state after them, or ``None`` for a part nobody knows.

    A part that failed or expired fails or expires its message even if the batch also says it
    was delivered: a final state is never undone.
    """
    named = {receipt.provider_id for receipt in batch}
    with transaction.atomic():
        parts = dict(
            MessagePart.objects.filter(provider_id__in=named, message__channel=channel).values_list(
                "provider_id", "message_id"
            )
        )
        touched = set(parts.values())
        # Locked in one order, so that receipts for two parts of one message, applied at once
        # by two workers, each see the other's part once it commits, and never deadlock.
        list(
            Message.objects.select_for_update()
            .filter(pk__in=touched)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        now = timezone.now()
        for state in (MessageState.FAILED, MessageState.EXPIRED):
            ended = {
                parts[r.provider_id] for r in batch if r.state == state and r.provider_id in parts
            }
            Message.objects.filter(pk__in=ended, state__in=NOT_FINAL).update(
                state=state, error=f"Receipt: {state}", lease_until=None
            )
        arrived = {
            r.provider_id
            for r in batch
            if r.state == MessageState.DELIVERED and r.provider_id in parts
        }
        MessagePart.objects.filter(
            provider_id__in=arrived, message__channel=channel, delivered_at__isnull=True
        ).update(delivered_at=now)
        waiting = MessagePart.objects.filter(message=OuterRef("pk"), delivered_at__isnull=True)
        Message.objects.filter(
            pk__in={parts[part] for part in arrived}, state__in=NOT_FINAL
        ).exclude(Exists(waiting)).update(
            state=MessageState.DELIVERED, delivered_at=now, lease_until=None
        )
        states = dict(Message.objects.filter(pk__in=touched).values_list("pk", "state"))
    return {part: states[parts[part]] if part in parts else None for part in named}
