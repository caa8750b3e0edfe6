"""What leaves the system about one person: their own export, and nothing that reveals origin.

The language a person reads can reveal their ethnic origin, sensitive data under Law
91/2025/QH15. It is kept to choose a message's text and shown to the person on their own page,
and left out of every file and report about a person, this export included.
"""

from typing import Any

from outreach.models import Subscriber

LEFT_OUT = ("language", "consent text as shown")
"""What is never written to a file about one person: the language, and the consent text in the
language it was shown in (its version says which text it was)."""


def subscriber_export(subscriber: Subscriber) -> dict[str, Any]:
    """What is kept about ``subscriber``, for them to download (their right of access)."""
    return {
        "subscribed_at": subscriber.created_at.isoformat(),
        "province": subscriber.province.name,
        "commune": subscriber.commune.name if subscriber.commune else None,
        "agency": subscriber.agency or None,
        "topics": sorted(subscriber.topics),
        "contacts": [
            {
                "channel": contact.channel,
                "address": contact.address,
                "confirmed_at": contact.confirmed_at.isoformat() if contact.confirmed_at else None,
            }
            for contact in subscriber.contacts.order_by("pk")
        ],
        "consents": [
            {
                "purpose": consent.purpose,
                "channel": consent.channel,
                "method": consent.method,
                "text_version": consent.version,
                "given_at": consent.given_at.isoformat(),
                "paper_form": consent.form_reference or None,
                "signed_on": consent.signed_on.isoformat() if consent.signed_on else None,
                "withdrawn_at": consent.withdrawn_at.isoformat() if consent.withdrawn_at else None,
            }
            for consent in subscriber.consents.order_by("pk")
        ],
        "left_out": list(LEFT_OUT),
    }
