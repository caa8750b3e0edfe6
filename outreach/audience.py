"""Who a bulletin reaches: confirmed contacts on its channels, with consent for its purpose on
that channel, following its topic (news), in its places.

Everything here is one query the database answers by index, so a count over a million
subscribers never loads them.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from heritage.models import Place
from outreach.models import Bulletin, ConsentRecord, Contact, Interest, Purpose, Subscriber


@dataclass(frozen=True)
class Addressing:
    """Whom a bulletin is for: its purpose, topic, channels and places, with or without a saved
    bulletin (``Addressing.of``)."""

    purpose: str
    channels: Sequence[str]
    topic: str = ""
    provinces: Sequence[Place] = ()
    communes: Sequence[Place] = ()

    @classmethod
    def of(cls, bulletin: Bulletin) -> "Addressing":
        """The addressing of ``bulletin``; one not saved yet has no places (everywhere)."""
        saved = bulletin.pk is not None
        return cls(
            purpose=bulletin.purpose,
            channels=bulletin.channels,
            topic=bulletin.topic,
            provinces=list(bulletin.provinces.all()) if saved else [],
            communes=list(bulletin.communes.all()) if saved else [],
        )


def addressing(bulletin: Bulletin | Addressing) -> Addressing:
    """``bulletin``'s addressing (an ``Addressing`` is its own)."""
    return bulletin if isinstance(bulletin, Addressing) else Addressing.of(bulletin)


def subscribers(to: Addressing) -> QuerySet[Subscriber]:
    """The subscribers ``to`` is for: in its places, following its topic (news)."""
    found = Subscriber.objects.filter(places_filter(to))
    if to.purpose == Purpose.BULLETINS and to.topic:
        follows = Interest.objects.filter(subscriber=OuterRef("pk"), topic=to.topic)
        found = found.filter(Exists(follows))
    return found


def _reachable(to: Addressing) -> QuerySet[Contact]:
    """Confirmed contacts on ``to``'s channels with consent for its purpose on that channel."""
    consented = ConsentRecord.objects.filter(
        subscriber=OuterRef("subscriber"),
        channel=OuterRef("channel"),
        purpose=to.purpose,
        withdrawn_at__isnull=True,
    )
    return Contact.objects.filter(confirmed_at__isnull=False, channel__in=to.channels).filter(
        Exists(consented)
    )


def audience(bulletin: Bulletin | Addressing) -> QuerySet[Contact]:
    """The contacts ``bulletin`` is sent to, one per subscriber and channel.

    Each contact's subscriber is checked on its own (a correlated ``EXISTS``), so taking the
    audience in batches by primary key costs in proportion to the batch."""
    to = addressing(bulletin)
    chosen = subscribers(to).filter(pk=OuterRef("subscriber"))
    return _reachable(to).filter(Exists(chosen))


def places_filter(to: Addressing) -> Q:
    """Subscribers in the provinces, in the communes, or following a whole province one of the
    communes lies in. No places: everyone."""
    provinces = [place.pk for place in to.provinces]
    communes = list(to.communes)
    if not provinces and not communes:
        return Q()
    found = Q(province__in=provinces) | Q(commune__in=[commune.pk for commune in communes])
    parents = {commune.parent_id for commune in communes if commune.parent_id}
    return found | Q(commune__isnull=True, province__in=parents)


def _counted(bulletin: Bulletin | Addressing) -> QuerySet[Contact]:
    """The same contacts as ``audience``, for counting: starting from the subscribers (by the
    province and topic indexes) rather than contact by contact is several times faster."""
    to = addressing(bulletin)
    return _reachable(to).filter(subscriber__in=subscribers(to))


def audience_size(bulletin: Bulletin | Addressing) -> int:
    """How many contacts ``bulletin`` reaches."""
    return _counted(bulletin).count()


def audience_counts(bulletin: Bulletin | Addressing) -> dict[str, dict[str, int]]:
    """How many contacts the bulletin reaches, by channel and by language (no one person),
    from one grouped count."""
    cells = (
        _counted(bulletin)
        .values_list("channel", "subscriber__language")
        .annotate(count=Count("pk"))
        .order_by()
    )
    by_channel: dict[str, int] = {}
    by_language: dict[str, int] = {}
    for channel, language, count in cells:
        by_channel[channel] = by_channel.get(channel, 0) + count
        by_language[language] = by_language.get(language, 0) + count
    return {"channel": by_channel, "language": by_language}
