"""Subscribing, confirming by code or link, correcting, and the signed links of a subscriber's
own pages: what each step writes, all or nothing.

A contact counts only once its holder proved they hold it (a link by e-mail, a code by SMS).
Until then only the confirmation is sent to it. Withdrawal and erasure: ``outreach.lifecycle``.
"""

import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from outreach.consent import record_consent
from outreach.contacts import contact_hash
from outreach.lifecycle import confirm
from outreach.models import (
    Channel,
    ConsentMethod,
    Contact,
    Interest,
    Subscriber,
)
from outreach.models.messages import MessageKind
from outreach.outbox import queue_message

CONFIRM_SALT = "outreach.confirm"
MANAGE_SALT = "outreach.manage"
UNSUBSCRIBE_SALT = "outreach.unsubscribe"


def _limits() -> dict[str, int]:
    return settings.BANLANG_OUTREACH


@dataclass(frozen=True)
class Request:
    """What a person asked for, validated (``outreach.forms.SubscribeForm``)."""

    language: str
    province_id: int
    commune_id: int | None
    topics: list[str]
    purposes: list[str]
    addresses: dict[str, str]
    """Each channel's canonical address (``outreach.contacts``)."""
    agency: str = ""
    push_keys: dict[str, str] | None = None
    """The browser's keys of a web push subscription (its endpoint is its address)."""


def subscribe(
    request: Request, method: ConsentMethod, site_url: str, entered_by: object = None
) -> Subscriber:
    """Record a new subscription, its consents and its unconfirmed contacts, and queue each
    contact's confirmation. An officer entering a paper form (``entered_by``) confirms at once:
    the signed form is the proof."""
    with transaction.atomic():
        subscriber = Subscriber.objects.create(
            language=request.language,
            province_id=request.province_id,
            commune_id=request.commune_id,
            agency=request.agency,
        )
        Interest.objects.bulk_create(
            Interest(subscriber=subscriber, topic=topic) for topic in request.topics
        )
        for channel, address in request.addresses.items():
            contact = Contact.objects.create(
                subscriber=subscriber,
                channel=channel,
                address=address,
                address_hash=contact_hash(channel, address),
                details=request.push_keys if channel == Channel.PUSH else {},
            )
            for purpose in request.purposes:
                record_consent(contact, purpose, method, entered_by)
            # A paper form is signed; a push subscription exists only once the person allowed
            # notifications in this very browser.
            if method == ConsentMethod.PAPER or channel == Channel.PUSH:
                confirm(contact)
            else:
                send_confirmation(contact, site_url)
    return subscriber


def _code_digest(contact: Contact, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{contact.pk}:{code}".encode(), "sha256").hexdigest()


def send_confirmation(contact: Contact, site_url: str) -> None:
    """Queue the message that lets the holder of ``contact`` confirm it: a link by e-mail, a
    code by SMS, in the subscriber's language."""
    language = contact.subscriber.language
    with translation.override(language):
        if contact.channel == Channel.EMAIL:
            token = signing.dumps(contact.pk, salt=CONFIRM_SALT)
            link = site_url + reverse("outreach:confirm_link", args=[token])
            text = gettext(
                "Confirm that you want news from Bản Làng at this address by opening this link: "
                "%(link)s\n\nIf you did not ask for it, ignore this message: nothing more will "
                "be sent."
            ) % {"link": link}
            queue_message(
                contact,
                MessageKind.CONFIRMATION,
                language=language,
                subject=gettext("Confirm your subscription"),
                text=text,
                link=link,
            )
            return
        code = "".join(secrets.choice("0123456789") for _ in range(_limits()["CODE_LENGTH"]))
        contact.code_hash = _code_digest(contact, code)
        contact.code_expires_at = timezone.now() + timezone.timedelta(
            minutes=_limits()["CODE_VALID_MINUTES"]
        )
        contact.code_attempts = 0
        contact.save(update_fields=["code_hash", "code_expires_at", "code_attempts"])
        text = gettext("Bản Làng: your code is %(code)s. Enter it on the page to confirm.") % {
            "code": code
        }
        queue_message(contact, MessageKind.CONFIRMATION, language=language, text=text)


def _linked_contact(token: str) -> Contact | None:
    max_age = _limits()["UNCONFIRMED_KEPT_DAYS"] * 24 * 3600
    try:
        pk = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    return Contact.objects.filter(pk=pk, channel=Channel.EMAIL).select_related("subscriber").first()


def confirm_link_is_valid(token: str) -> bool:
    """Whether a confirmation link is genuine, recent, and names a contact still there."""
    return _linked_contact(token) is not None


def confirm_link(token: str) -> Contact | None:
    """The e-mail contact a confirmation link names, confirmed; ``None`` for a link that is
    forged, expired, or names a contact no longer there."""
    contact = _linked_contact(token)
    if contact is not None and not contact.is_confirmed:
        confirm(contact)
    return contact


class CodeRefused(Exception):
    """A code that does not confirm: wrong, expired, or tried too often."""


def confirm_code(address_hash: str, code: str) -> Contact:
    """Confirm the SMS contact with ``address_hash`` by the code sent to it; ``CodeRefused``
    for a wrong, expired or too often tried code (a wrong try is counted)."""
    with transaction.atomic():
        contact = (
            Contact.objects.select_for_update()
            .filter(channel=Channel.SMS, address_hash=address_hash, confirmed_at__isnull=True)
            .exclude(code_hash="")
            .order_by("-created_at")
            .first()
        )
        usable = (
            contact is not None
            and contact.code_expires_at is not None
            and contact.code_expires_at >= timezone.now()
            and contact.code_attempts < _limits()["CODE_MAX_ATTEMPTS"]
        )
        right = usable and hmac.compare_digest(
            contact.code_hash, _code_digest(contact, code.strip())
        )
        if usable and not right:
            contact.code_attempts += 1
            contact.save(update_fields=["code_attempts"])
    if not right:
        raise CodeRefused
    confirm(contact)
    return contact


def correct(
    subscriber: Subscriber,
    *,
    language: str,
    province_id: int,
    commune_id: int | None,
    topics: list[str],
    purposes: list[str],
    agency: str,
) -> None:
    """Apply a subscriber's corrections: a purpose no longer ticked is withdrawn on every
    contact, a newly ticked one is recorded on each, as given on the web."""
    with transaction.atomic():
        subscriber.language = language
        subscriber.province_id = province_id
        subscriber.commune_id = commune_id
        subscriber.agency = agency
        subscriber.save()
        subscriber.interests.exclude(topic__in=topics).delete()
        kept = set(subscriber.interests.values_list("topic", flat=True))
        Interest.objects.bulk_create(
            Interest(subscriber=subscriber, topic=topic) for topic in topics if topic not in kept
        )
        active = subscriber.consents.filter(withdrawn_at__isnull=True)
        active.exclude(purpose__in=purposes).update(
            withdrawn_at=timezone.now(), withdrawn_by=ConsentMethod.WEB
        )
        given = set(active.values_list("purpose", "channel"))
        for contact in subscriber.contacts.all():
            for purpose in purposes:
                if (purpose, contact.channel) not in given:
                    record_consent(contact, purpose, ConsentMethod.WEB)


def manage_token(subscriber: Subscriber) -> str:
    """The signed token of ``subscriber``'s own page."""
    return signing.dumps(str(subscriber.public_id), salt=MANAGE_SALT)


def subscriber_for_token(token: str) -> Subscriber | None:
    """The subscriber a manage token names, if it is genuine and not too old."""
    max_age = _limits()["MANAGE_LINK_VALID_DAYS"] * 24 * 3600
    try:
        public_id = signing.loads(token, salt=MANAGE_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    return Subscriber.objects.filter(public_id=public_id).first()


def unsubscribe_token(contact: Contact) -> str:
    """The signed token of ``contact``'s one-click unsubscribe link (valid while it exists)."""
    return signing.dumps(contact.pk, salt=UNSUBSCRIBE_SALT)


def contact_for_unsubscribe_token(token: str) -> Contact | None:
    """The contact an unsubscribe token names, if genuine and still there."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Contact.objects.filter(pk=pk).select_related("subscriber").first()
