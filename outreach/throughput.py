"""Each channel's throughput cap, shared by every sender process through the database.

A sender asks for a number of messages on a channel before it claims them and gives back what
it did not use. The count is per Unix second, in one row per channel, changed only by
compare-and-set ``UPDATE``s: two senders never both take the last of a second's allowance.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F

from outreach.models import ChannelWindow

TRIES = 5
"""Compare-and-set rounds before a sender gives up a second's allowance to the others."""


def cap(channel: str) -> int:
    """The most messages a second on ``channel``; 0 for no cap."""
    rates: dict[str, int] = settings.BANLANG_OUTREACH["RATE_PER_SECOND"]
    return rates.get(channel, 0)


@dataclass(frozen=True)
class Allowance:
    """How many messages a sender may send on ``channel`` in Unix second ``second``."""

    channel: str
    second: int
    granted: int


def reserve(channel: str, wanted: int) -> Allowance:
    """Take up to ``wanted`` of this second's allowance on ``channel``."""
    limit = cap(channel)
    second = int(time.time())
    if not limit:
        return Allowance(channel, second, wanted)
    ChannelWindow.objects.bulk_create([ChannelWindow(channel=channel)], ignore_conflicts=True)
    for _ in range(TRIES):
        ChannelWindow.objects.filter(channel=channel, second__lt=second).update(
            second=second, taken=0
        )
        taken = (
            ChannelWindow.objects.filter(channel=channel, second=second)
            .values_list("taken", flat=True)
            .first()
        )
        granted = min(wanted, limit - taken) if taken is not None else 0
        # Spent, or another sender already moved on to a later second.
        if taken is None or granted <= 0:
            return Allowance(channel, second, 0)
        if ChannelWindow.objects.filter(channel=channel, second=second, taken=taken).update(
            taken=taken + granted
        ):
            return Allowance(channel, second, granted)
    return Allowance(channel, second, 0)


def give_back(allowance: Allowance, used: int) -> None:
    """Return what ``allowance`` granted and was not used, while its second lasts."""
    unused = allowance.granted - used
    if unused <= 0 or not cap(allowance.channel):
        return
    ChannelWindow.objects.filter(
        channel=allowance.channel, second=allowance.second, taken__gte=unused
    ).update(taken=F("taken") - unused)


def wait_for_next_second() -> None:
    """Sleep until the next second's allowance starts."""
    time.sleep(1 - time.time() % 1)
