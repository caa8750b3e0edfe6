"""Subscribers as the tests need them: confirmed contacts, consents and topics in one call."""

from django.utils import timezone

from outreach.contacts import contact_hash
from outreach.models import Channel, ConsentRecord, Contact, Interest, Purpose, Subscriber


def make_subscriber(
    number: int,
    *,
    province,
    commune=None,
    language: str = "vi",
    topics: tuple[str, ...] = ("health",),
    channels: tuple[str, ...] = (Channel.SMS, Channel.EMAIL),
    purposes: tuple[str, ...] = (Purpose.BULLETINS,),
    confirmed: bool = True,
) -> Subscriber:
    """Subscriber ``number`` (which makes their phone number and address unique)."""
    subscriber = Subscriber.objects.create(language=language, province=province, commune=commune)
    Interest.objects.bulk_create(Interest(subscriber=subscriber, topic=topic) for topic in topics)
    addresses = {
        Channel.SMS: f"+8491{number:07d}",
        Channel.ZALO: f"+8491{number:07d}",
        Channel.EMAIL: f"person{number}@example.vn",
    }
    for channel in channels:
        address = addresses[channel]
        Contact.objects.create(
            subscriber=subscriber,
            channel=channel,
            address=address,
            address_hash=contact_hash(channel, address),
            confirmed_at=timezone.now() if confirmed else None,
        )
        for purpose in purposes:
            ConsentRecord.objects.create(
                subscriber=subscriber,
                purpose=purpose,
                channel=channel,
                method="web",
                version="test",
                text="test",
                language="vi",
            )
    return subscriber
