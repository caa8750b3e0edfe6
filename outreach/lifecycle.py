"""A contact's life after subscribing: confirmed, withdrawn, erased. No messages are sent here.

Withdrawing on a channel deletes that contact and leaves its keyed hash in ``Suppression``; a
subscriber left without contacts is deleted with their consents and topics, so nothing but the
hash remains.
"""

from django.db import transaction
from django.utils import timezone

from outreach.models import ConsentMethod, Contact, Subscriber, Suppression


def confirm(contact: Contact) -> None:
    """Mark ``contact`` confirmed. Another subscriber who held the same address loses it (and is
    deleted if it was their last); a withdrawal of it is lifted: its holder asked again."""
    with transaction.atomic():
        others = Contact.objects.filter(
            channel=contact.channel, address_hash=contact.address_hash
        ).exclude(pk=contact.pk)
        for other in others.select_related("subscriber"):
            previous = other.subscriber
            other.delete()
            if not previous.contacts.exists():
                previous.delete()
        Suppression.objects.filter(
            channel=contact.channel, address_hash=contact.address_hash
        ).delete()
        contact.confirmed_at = timezone.now()
        contact.code_hash = ""
        contact.code_expires_at = None
        contact.save(update_fields=["confirmed_at", "code_hash", "code_expires_at"])


def withdraw(contact: Contact, method: ConsentMethod) -> None:
    """End every consent on ``contact``'s channel: the contact is deleted, its hash kept so it
    is never written to again, and a subscriber left without contacts is deleted."""
    with transaction.atomic():
        Suppression.objects.get_or_create(
            channel=contact.channel,
            address_hash=contact.address_hash,
            defaults={"reason": Suppression.Reason.WITHDRAWN},
        )
        subscriber = contact.subscriber
        subscriber.consents.filter(channel=contact.channel).delete()
        contact.delete()
        if not subscriber.contacts.exists():
            subscriber.delete()


def erase(subscriber: Subscriber) -> None:
    """Delete everything about ``subscriber`` at their request, keeping only each contact's
    hash, so an officer's list cannot add them back unasked."""
    with transaction.atomic():
        for contact in subscriber.contacts.all():
            Suppression.objects.get_or_create(
                channel=contact.channel,
                address_hash=contact.address_hash,
                defaults={"reason": Suppression.Reason.ERASED},
            )
        subscriber.delete()


def drop(contact: Contact) -> None:
    """Delete a contact its provider says no longer exists (a push subscription the browser
    dropped), and its subscriber if it was their last. Nothing is suppressed: nobody withdrew."""
    with transaction.atomic():
        subscriber = contact.subscriber
        subscriber.consents.filter(channel=contact.channel).delete()
        contact.delete()
        if not subscriber.contacts.exists():
            subscriber.delete()
