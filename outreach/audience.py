"""Who a bulletin reaches: confirmed contacts on its channels, with consent for its purpose on
that channel, following its topic (news), in its places.

Everything here is one query the database answers by index, so a count over a million
subscribers never loads them.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from heritage.models import Place
from outreach.models import Bulletin, ConsentRecord, Contact, Interest, Purpose


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


def audience(bulletin: Bulletin | Addressing) -> QuerySet[Contact]:
    """The contacts ``bulletin`` is sent to, one per subscriber and channel."""
    to = bulletin if isinstance(bulletin, Addressing) else Addressing.of(bulletin)
    contacts = Contact.objects.filter(confirmed_at__isnull=False, channel__in=to.channels)
    consented = ConsentRecord.objects.filter(
        subscriber=OuterRef("subscriber"),
        channel=OuterRef("channel"),
        purpose=to.purpose,
        withdrawn_at__isnull=True,
    )
    contacts = contacts.filter(Exists(consented))
    if to.purpose == Purpose.BULLETINS and to.topic:
        follows = Interest.objects.filter(subscriber=OuterRef("subscriber"), topic=to.topic)
        contacts = contacts.filter(Exists(follows))
    return contacts.filter(places_filter(to))


def places_filter(to: Addressing) -> Q:
    """Subscribers in the provinces, in the communes, or following a whole province one of the
    communes lies in. No places: everyone."""
    provinces = [place.pk for place in to.provinces]
    communes = list(to.communes)
    if not provinces and not communes:
        return Q()
    found = Q(subscriber__province__in=provinces) | Q(
        subscriber__commune__in=[commune.pk for commune in communes]
    )
    parents = {commune.parent_id for commune in communes if commune.parent_id}
    return found | Q(subscriber__commune__isnull=True, subscriber__province__in=parents)


def audience_counts(bulletin: Bulletin | Addressing) -> dict[str, dict[str, int]]:
    """How many contacts the bulletin reaches, by channel and by language (no one person),
    from one grouped count."""
    cells = (
        audience(bulletin)
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
