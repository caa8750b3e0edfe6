"""Subscribing, confirming by code or link, correcting, finding one's subscription again, and
the signed links of a subscriber's own pages: what each step writes, all or nothing.

A contact counts only once its holder proved they hold it (a link by e-mail, a code by SMS
entered on the page or sent back, a code or a link by Zalo), even when an officer entered it
from a signed paper form. Until then only the confirmation is sent to it. Withdrawal and
erasure: ``outreach.lifecycle``.
"""

import datetime
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from outreach.consent import PaperForm, record_consent
from outreach.contacts import contact_hash
from outreach.lifecycle import confirm
from outreach.links import manage_token
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
FIND_SALT = "outreach.find"
CODE_CHANNELS = (Channel.SMS, Channel.ZALO)
"""The channels of a phone number, in the order its codes are asked for: each contact on them
is confirmed by a code sent through it (Zalo's to the number's Zalo account)."""
LINK_CHANNELS = (Channel.EMAIL, Channel.ZALO)
"""The channels whose confirmation carries a link that confirms the contact: what an e-mail
or a Zalo message holds reached only the holder of the address or account."""
ASKING_WINDOW_SECONDS = 3600
"""The window of ``FIND_PER_HOUR``: how often one number or address may ask for its way back."""


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
    request: Request,
    method: ConsentMethod,
    site_url: str,
    entered_by: User | None = None,
    paper: PaperForm | None = None,
) -> Subscriber:
    """Record a new subscription, its consents and its unconfirmed contacts, and queue each
    contact's confirmation. An officer entering a signed ``paper`` form (``entered_by``) proves
    the consents, not who holds each number or address: those are confirmed like any other."""
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
                record_consent(contact, purpose, method, entered_by, paper)
            # A push subscription exists only once the person allowed notifications in this
            # very browser.
            if channel == Channel.PUSH:
                confirm(contact)
            else:
                send_confirmation(contact, site_url, by_officer=paper is not None)
    return subscriber


def _code_digest(contact: Contact, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{contact.pk}:{code}".encode(), "sha256").hexdigest()


def _new_code(contact: Contact) -> str:
    """A new code for ``contact``, replacing any earlier one: ``CODE_LENGTH`` digits, valid
    ``CODE_VALID_MINUTES`` for ``CODE_MAX_ATTEMPTS`` tries. Only its keyed digest is kept."""
    code = "".join(secrets.choice("0123456789") for _ in range(_limits()["CODE_LENGTH"]))
    contact.code_hash = _code_digest(contact, code)
    contact.code_expires_at = timezone.now() + datetime.timedelta(
        minutes=_limits()["CODE_VALID_MINUTES"]
    )
    contact.code_attempts = 0
    contact.save(update_fields=["code_hash", "code_expires_at", "code_attempts"])
    return code


class CodeRefused(Exception):
    """A code that does not confirm: wrong, expired, or tried too often."""


def _newest_code(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    """``contacts`` holding a code, the newest code first: the one a code is checked against."""
    return contacts.exclude(code_hash="").order_by("-code_expires_at", "-created_at")


def _take_code(contacts: QuerySet[Contact], code: str) -> Contact:
    """The contact among ``contacts`` holding the newest code, if ``code`` is it: the code is
    then used up. ``CodeRefused`` for a wrong, expired or too often tried code (a wrong try
    is counted)."""
    with transaction.atomic():
        contact = _newest_code(contacts).select_for_update().first()
        if contact is None:
            raise CodeRefused
        usable = (
            contact.code_expires_at is not None
            and contact.code_expires_at >= timezone.now()
            and contact.code_attempts < _limits()["CODE_MAX_ATTEMPTS"]
        )
        right = usable and hmac.compare_digest(
            contact.code_hash, _code_digest(contact, code.strip())
        )
        if usable and not right:
            contact.code_attempts += 1
            contact.save(update_fields=["code_attempts"])
        if right:
            contact.code_hash = ""
            contact.code_expires_at = None
            contact.save(update_fields=["code_hash", "code_expires_at"])
    if not right:
        raise CodeRefused
    return contact


def _confirm_link(contact: Contact, site_url: str) -> str:
    """The signed link that confirms ``contact``, in the active language."""
    token = signing.dumps(contact.pk, salt=CONFIRM_SALT)
    return site_url + reverse("outreach:confirm_link", args=[token])


def send_confirmation(contact: Contact, site_url: str, *, by_officer: bool = False) -> None:
    """Queue the message that lets the holder of ``contact`` confirm it, in the subscriber's
    language: a link by e-mail; a code by SMS or Zalo, to enter on the page (or tell the
    officer, for a form an officer entered). The SMS code may also be sent back as a reply
    (``outreach.inbound``); the Zalo message also carries the link, as its template needs one."""
    language = contact.subscriber.language
    with translation.override(language):
        if contact.channel == Channel.EMAIL:
            link = _confirm_link(contact, site_url)
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
        code = _new_code(contact)
        if by_officer:
            text = gettext(
                "Bản Làng: your code is %(code)s. Tell it to the officer who entered your form "
                "to confirm."
            )
        else:
            text = gettext("Bản Làng: your code is %(code)s. Enter it on the page to confirm.")
        text %= {"code": code}
        link = ""
        if contact.channel == Channel.SMS:
            text += " " + gettext("Or reply with this code.")
        else:
            link = _confirm_link(contact, site_url)
        queue_message(contact, MessageKind.CONFIRMATION, language=language, text=text, link=link)


def _linked_contact(token: str) -> Contact | None:
    max_age = _limits()["UNCONFIRMED_KEPT_DAYS"] * 24 * 3600
    try:
        pk = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    contacts = Contact.objects.filter(pk=pk, channel__in=LINK_CHANNELS)
    return contacts.select_related("subscriber").first()


def confirm_link_channel(token: str) -> str | None:
    """The channel of the contact a confirmation link names, if the link is genuine, recent,
    and names a contact still there; ``None`` otherwise."""
    contact = _linked_contact(token)
    return contact.channel if contact is not None else None


def confirm_link(token: str) -> Contact | None:
    """The e-mail or Zalo contact a confirmation link names, confirmed; ``None`` for a link
    that is forged, expired, or names a contact no longer there."""
    contact = _linked_contact(token)
    if contact is not None and not contact.is_confirmed:
        confirm(contact)
    return contact


def waiting_for_code(contacts: Iterable[Contact]) -> Contact | None:
    """The first of ``contacts`` still to be confirmed by a code: the SMS one, then Zalo's."""
    waiting = [contact for contact in contacts if not contact.is_confirmed]
    return next(
        (contact for channel in CODE_CHANNELS for contact in waiting if contact.channel == channel),
        None,
    )


def _unconfirmed(address_hash: str) -> QuerySet[Contact]:
    return Contact.objects.filter(
        channel__in=CODE_CHANNELS, address_hash=address_hash, confirmed_at__isnull=True
    )


def code_waiting(address_hash: str) -> Contact | None:
    """The unconfirmed SMS or Zalo contact with ``address_hash`` whose code ``confirm_code``
    checks, if one was sent a code (even one since expired or tried too often)."""
    return _newest_code(_unconfirmed(address_hash)).select_related("subscriber").first()


def confirm_code(address_hash: str, code: str) -> Contact:
    """Confirm the SMS or Zalo contact with ``address_hash`` by the code sent to it;
    ``CodeRefused`` for a wrong, expired or too often tried code (a wrong try is counted)."""
    contact = _take_code(_unconfirmed(address_hash), code)
    confirm(contact)
    return contact


def asked_too_often(address: str) -> bool:
    """Count one more request for the way back to ``address``'s subscription (a phone number or
    e-mail address, canonical), and say whether there were more than ``FIND_PER_HOUR`` this
    hour. Counted alike whether or not the address is subscribed, under its keyed hash."""
    key = f"outreach:find:{contact_hash('find', address)}"
    cache.add(key, 0, timeout=ASKING_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between the two calls
        cache.set(key, 1, timeout=ASKING_WINDOW_SECONDS)
        count = 1
    return count > _limits()["FIND_PER_HOUR"]


def way_back_hashes(address: str, *, by_email: bool) -> list[tuple[str, str]]:
    """The keyed hashes ``address`` (canonical) would have on each channel that can take the
    way back to its subscription: what ``send_way_back`` looks for, without the address."""
    channels = (Channel.EMAIL,) if by_email else CODE_CHANNELS
    return [(channel, contact_hash(channel, address)) for channel in channels]


def _manage_link(contact: Contact, site_url: str) -> str:
    """The link to the own page of ``contact``'s subscriber, in the active language."""
    return site_url + reverse("outreach:manage", args=[manage_token(contact.subscriber)])


def send_way_back(hashes: list[tuple[str, str]], *, site_url: str) -> None:
    """Queue the way back to the subscription whose confirmed contact has one of ``hashes``
    (``way_back_hashes``, in order of preference): a link to its page by e-mail, a code for a
    phone number (by SMS, or by Zalo for a number subscribed only there). Nothing otherwise.
    Run as a task, so the request that asked does the same work whether or not it is known."""
    found = {
        contact.channel: contact
        for contact in Contact.objects.filter(
            channel__in=[channel for channel, _ in hashes],
            address_hash__in=[address_hash for _, address_hash in hashes],
            confirmed_at__isnull=False,
        ).select_related("subscriber")
    }
    contact = next((found[channel] for channel, _ in hashes if channel in found), None)
    if contact is None:
        return
    language = contact.subscriber.language
    with transaction.atomic(), translation.override(language):
        if contact.channel == Channel.EMAIL:
            link = _manage_link(contact, site_url)
            text = gettext(
                "Open this link to see and change your subscription to Bản Làng: %(link)s\n\n"
                "If you did not ask for it, ignore this message."
            ) % {"link": link}
            queue_message(
                contact,
                MessageKind.CONFIRMATION,
                language=language,
                subject=gettext("Your subscription to Bản Làng"),
                text=text,
                link=link,
            )
            return
        text = gettext(
            "Bản Làng: your code is %(code)s. Enter it on the page to open your subscription."
        ) % {"code": _new_code(contact)}
        # Zalo's template carries a link: the page the code would open.
        link = "" if contact.channel == Channel.SMS else _manage_link(contact, site_url)
        queue_message(contact, MessageKind.CONFIRMATION, language=language, text=text, link=link)


def find_token(phone: str) -> str:
    """The signed token of the page taking the code sent to ``phone`` (E.164): the number's
    keyed hashes on each of its channels, the same whether or not it is subscribed."""
    return signing.dumps(
        [contact_hash(channel, phone) for channel in CODE_CHANNELS], salt=FIND_SALT
    )


def hashes_for_find_token(token: str) -> list[str] | None:
    """The hashes a find token names, if it is genuine and its code could still be valid."""
    max_age = _limits()["CODE_VALID_MINUTES"] * 60
    try:
        hashes = signing.loads(token, salt=FIND_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    return [str(value) for value in hashes] if isinstance(hashes, list) else None


def subscriber_for_code(hashes: list[str], code: str) -> Subscriber:
    """The subscriber whose confirmed number (``hashes``, from its find token) was sent
    ``code``; ``CodeRefused`` as for confirming."""
    contacts = Contact.objects.filter(
        channel__in=CODE_CHANNELS, address_hash__in=hashes, confirmed_at__isnull=False
    )
    return _take_code(contacts, code).subscriber


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
