"""Who a bulletin reaches: confirmed contacts on its channels, with consent for its purpose on
that channel, following its topic (news), in its places.

Everything here is one query the database answers by index, so a count over a million
subscribers never loads them.
"""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from outreach.models import Bulletin, ConsentRecord, Contact, Interest, Purpose


def audience(bulletin: Bulletin) -> QuerySet[Contact]:
    """The contacts ``bulletin`` is sent to, one per subscriber and channel."""
    contacts = Contact.objects.filter(confirmed_at__isnull=False, channel__in=bulletin.channels)
    consented = ConsentRecord.objects.filter(
        subscriber=OuterRef("subscriber"),
        channel=OuterRef("channel"),
        purpose=bulletin.purpose,
        withdrawn_at__isnull=True,
    )
    contacts = contacts.filter(Exists(consented))
    if bulletin.purpose == Purpose.BULLETINS and bulletin.topic:
        follows = Interest.objects.filter(subscriber=OuterRef("subscriber"), topic=bulletin.topic)
        contacts = contacts.filter(Exists(follows))
    return contacts.filter(places_filter(bulletin))


def places_filter(bulletin: Bulletin) -> Q:
    """Subscribers in the bulletin's provinces, in its communes, or following a whole province
    one of its communes lies in. No places: everyone."""
    provinces = [place.pk for place in bulletin.provinces.all()]
    communes = list(bulletin.communes.all())
    if not provinces and not communes:
        return Q()
    found = Q(subscriber__province__in=provinces) | Q(
        subscriber__commune__in=[commune.pk for commune in communes]
    )
    parents = {commune.parent_id for commune in communes if commune.parent_id}
    return found | Q(subscriber__commune__isnull=True, subscriber__province__in=parents)


def audience_counts(bulletin: Bulletin) -> dict[str, dict[str, int]]:
    """How many contacts the bulletin reaches, by channel and by language (no one person)."""
    contacts = audience(bulletin)
    by_channel = contacts.values_list("channel").annotate(count=Count("pk")).order_by()
    by_language = (
        contacts.values_list("subscriber__language").annotate(count=Count("pk")).order_by()
    )
    return {"channel": dict(by_channel), "language": dict(by_language)}
