"""A reader's own links, one-click unsubscribe and their subscription's page: their signed
tokens, and their place at the end of a message, added when it is sent and never stored.

The outbox holds no credential of anyone's, and a bulletin to a million people is written
without signing two million tokens. Bulletins and digests by e-mail end with the links, in
the reader's language; SMS and Zalo have no room for them (``STOP`` withdraws), and
confirmations and replies go as written.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Site

from outreach.models import Channel, Contact, Message, Subscriber
from outreach.models.messages import MessageKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MANAGE_SALT = "outreach.manage"
UNSUBSCRIBE_SALT = "outreach.unsubscribe"
SIGNED_OFF = {(MessageKind.BULLETIN, Channel.EMAIL), (MessageKind.DIGEST, Channel.EMAIL)}
"""The messages that end with their reader's own links. A push notification has room for a
few lines and opens its ``url``; the browser itself turns its notifications off."""


def manage_token(subscriber: Subscriber) -> str:
    """The signed token of ``subscriber``'s own page."""
    return signing.dumps(str(subscriber.public_id), salt=MANAGE_SALT)


def subscriber_for_token(token: str) -> Subscriber | None:
    """The subscriber a manage token names, if it is genuine and not too old."""
    max_age = settings.BANLANG_OUTREACH["MANAGE_LINK_VALID_DAYS"] * 24 * 3600
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


def site_url() -> str:
    """The public site's address, for links in messages, without a trailing slash."""
    site = Site.objects.filter(is_default_site=True).first()
    url: str = site.root_url if site else settings.WAGTAILADMIN_BASE_URL
    return url.rstrip("/")


def footer(language: str, unsubscribe: "StrOrPromise", manage: "StrOrPromise") -> str:
    """How to stop or change, in the reader's ``language``."""
    with translation.override(language):
        template = gettext("Stop these messages: %(stop)s\nChange your subscription: %(manage)s")
    return template % {"stop": unsubscribe, "manage": manage}


def personal_links(contact: Contact, base: str) -> tuple[str, str]:
    """``contact``'s one-click unsubscribe link and its subscriber's own page, on ``base``."""
    language = contact.subscriber.language
    return (
        f"{base}/{language}/subscribe/unsubscribe/{unsubscribe_token(contact)}/",
        f"{base}/{language}/subscribe/manage/{manage_token(contact.subscriber)}/",
    )


def as_sent(message: Message, base: str) -> tuple[str, str]:
    """The text ``message``'s reader gets and its one-click unsubscribe link (or ``""``), with
    links on ``base`` (``site_url()``)."""
    contact = message.contact
    if contact is None or (message.kind, message.channel) not in SIGNED_OFF:
        return message.text, ""
    unsubscribe, manage = personal_links(contact, base)
    ending = footer(contact.subscriber.language, unsubscribe, manage)
    return f"{message.text}\n\n{ending}", unsubscribe
