"""Text messages from residents: keywords in any case, with or without marks.

``DK <topic> [XA-<commune>]`` subscribes the sending number (the message proves it holds the
number, so it counts as confirmed), ``HUY`` or ``STOP`` withdraws it, ``HOI <question>`` asks
the office responsible, to be answered by SMS (``outreach.feedback``), ``GIA <item>`` answers
with the latest market prices, ``HD`` explains the keywords. A message of digits alone from a
number waiting for its confirmation code is that code, checked as on the web (the same tries
and expiry). Anything else gets the help, so nobody who writes is left without an answer.
Replies are in the subscriber's language, or in Vietnamese for a number we do not know.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from cms.formatting import format_date, format_vnd
from cms.languages import DEFAULT_LANGUAGE
from cms.models.market import latest_prices
from cms.topics import Topic
from heritage.models import COMMUNE_LEVELS, Place
from outreach import abuse, feedback, links, sms, subscriptions
from outreach.consent import record_consent
from outreach.contacts import contact_hash, normalize_phone
from outreach.feedback_forms import MAX_TEXT, MIN_TEXT
from outreach.lifecycle import confirm, withdraw
from outreach.models import (
    Channel,
    ConsentMethod,
    Contact,
    Interest,
    Purpose,
    SubmissionKind,
    Subscriber,
)

TOPIC_KEYWORDS = {
    "SUCKHOE": Topic.HEALTH,
    "YTE": Topic.HEALTH,
    "GIACA": Topic.MARKET,
    "THITRUONG": Topic.MARKET,
    "CHINHSACH": Topic.POLICY,
    "GIAODUC": Topic.EDUCATION,
    "KHCN": Topic.SCIENCE_TECHNOLOGY,
    "ANNINH": Topic.SECURITY_ORDER,
    "VANHOA": Topic.CULTURE,
}
"""The topic words of ``DK``, as written on posters: unmarked, one word each."""
STOP_WORDS = frozenset({"HUY", "STOP", "TUCHOI"})
ASK_WORDS = frozenset({"HOI", "HOIDAP"})
SMS_ANSWER_CONSENT = "HOI <question> by SMS: the number is used to send the answer by SMS."
"""What a question sent by SMS consents to, kept with it as its proof."""
MAX_PRICES = 3
"""Markets quoted in one price answer: it must fit one or two SMS."""


@dataclass(frozen=True)
class Reply:
    """The answer to send back, and in which language it is written."""

    text: str
    language: str


def words(text: str) -> list[str]:
    """The message's words, unmarked and in capitals: ``dk Sức khỏe`` → ``["DK", "SUC", …]``."""
    return sms.fold(text).upper().split()


def _commune(code: str) -> Place | None:
    """A commune in force by GSO code or, unmarked, by name (``XA-EASUP``)."""
    communes = Place.objects.current().filter(level__in=COMMUNE_LEVELS)
    found = communes.filter(gso_code=code).first()
    if found is not None:
        return found
    for commune in communes.only("pk", "name", "parent"):
        if sms.fold(commune.name).upper().replace(" ", "") == code:
            return commune
    return None


def _province(commune: Place) -> Place:
    """The province ``commune`` lies in."""
    assert commune.parent is not None  # a commune in force lies in a province
    return commune.parent


def handle(sender: str, text: str) -> Reply:
    """What to answer the message ``text`` from number ``sender``."""
    try:
        phone = normalize_phone(sender)
    except ValidationError:
        phone = ""
    given = words(text)
    code = "".join(given)
    if phone and code.isascii() and code.isdigit():
        waiting = subscriptions.code_waiting(contact_hash(Channel.SMS, phone))
        if waiting is not None:
            return _confirm(waiting, code)
    contact = (
        Contact.objects.filter(
            channel=Channel.SMS,
            address_hash=contact_hash(Channel.SMS, phone),
            confirmed_at__isnull=False,
        )
        .select_related("subscriber")
        .first()
        if phone
        else None
    )
    language = contact.subscriber.language if contact else DEFAULT_LANGUAGE
    keyword = given[0] if given else ""
    with translation.override(language):
        if keyword in STOP_WORDS:
            return Reply(_stop(contact), language)
        if keyword in ("DK", "DANGKY") and phone:
            return Reply(_subscribe(phone, contact, given[1:]), language)
        if keyword == "GIA" and len(given) > 1:
            return Reply(_prices(" ".join(given[1:]), language), language)
        if keyword in ASK_WORDS and phone:
            return Reply(_ask(phone, contact, text, language), language)
        if keyword == "HD":
            return Reply(_help(), language)
        return Reply(gettext("Bản Làng did not understand your message.") + " " + _help(), language)


def _ask(phone: str, contact: Contact | None, text: str, language: str) -> str:
    """Take the question after ``HOI`` for the office of the sender's place (a subscriber's
    commune, else triage), to be answered by SMS to this number: asking by SMS is asking
    for that. The reply gives its code and its page."""
    question = text.strip().split(None, 1)[1].strip() if len(text.split()) > 1 else ""
    if len(question) < MIN_TEXT:
        return gettext(
            "Write your question after HOI, for example: HOI Khi nào có thẻ bảo hiểm y tế?"
        )
    subscriber = contact.subscriber if contact else None
    verdict = abuse.screen(
        question[:MAX_TEXT], language=language, phone_hash=contact_hash(Channel.SMS, phone)
    )
    submission = feedback.receive(
        feedback.Received(
            kind=SubmissionKind.QUESTION,
            text=question[:MAX_TEXT],
            language=language,
            came_by=Channel.SMS,
            province=subscriber.province if subscriber else None,
            commune=subscriber.commune if subscriber else None,
            answer_channel=Channel.SMS,
            answer_to=phone,
            consent_text=SMS_ANSWER_CONSENT,
            held_because=verdict.reasons,
        )
    )
    code = feedback.shown(submission.reference)
    return gettext(
        "Bản Làng: your question is received, code %(code)s. The answer comes by SMS; "
        "follow it at %(url)s"
    ) % {"code": code, "url": f"{links.site_url()}/{language}/ask/{code}/"}


def _help() -> str:
    return gettext(
        "Send DK SUCKHOE XA-<commune> to get health news, GIA <item> for prices, HUY to stop."
    )


def _confirm(waiting: Contact, code: str) -> Reply:
    """Confirm the number ``waiting`` for its code by ``code``, or say why not."""
    language = waiting.subscriber.language
    with translation.override(language):
        try:
            subscriptions.confirm_code(waiting.address_hash, code)
        except subscriptions.CodeRefused:
            return Reply(
                gettext(
                    "That code is not right, has expired, or was tried too often. Check the "
                    "message, or subscribe again for a new code."
                ),
                language,
            )
        return Reply(
            gettext("Bản Làng: this number is confirmed. Send HUY to stop at any time."),
            language,
        )


def _stop(contact: Contact | None) -> str:
    if contact is not None:
        withdraw(contact, ConsentMethod.SMS)
    return gettext("Bản Làng will send no more messages to this number.")


def _subscribe(phone: str, contact: Contact | None, rest: list[str]) -> str:
    topics = [TOPIC_KEYWORDS[word] for word in rest if word in TOPIC_KEYWORDS]
    places = [word.removeprefix("XA-") for word in rest if word.startswith("XA-")]
    commune = _commune(places[0]) if places else None
    if not topics:
        return gettext("Which news? For example: DK SUCKHOE XA-EASUP.")
    if places and commune is None:
        return gettext("Bản Làng does not know the commune %(commune)s.") % {"commune": places[0]}
    with transaction.atomic():
        if contact is None:
            if commune is None:
                return gettext("Which commune? For example: DK SUCKHOE XA-EASUP.")
            subscriber = Subscriber.objects.create(
                language=DEFAULT_LANGUAGE,
                province=_province(commune),
                commune=commune,
            )
            contact = Contact.objects.create(
                subscriber=subscriber,
                channel=Channel.SMS,
                address=phone,
                address_hash=contact_hash(Channel.SMS, phone),
            )
            record_consent(contact, Purpose.BULLETINS, ConsentMethod.SMS)
            confirm(contact)
        subscriber = contact.subscriber
        if commune is not None:
            subscriber.province, subscriber.commune = _province(commune), commune
            subscriber.save(update_fields=["province", "commune", "updated_at"])
        kept = set(subscriber.topics)
        Interest.objects.bulk_create(
            Interest(subscriber=subscriber, topic=topic) for topic in topics if topic not in kept
        )
        if not subscriber.consents.filter(
            channel=Channel.SMS, purpose=Purpose.BULLETINS, withdrawn_at__isnull=True
        ).exists():
            record_consent(contact, Purpose.BULLETINS, ConsentMethod.SMS)
    return gettext("Bản Làng will send you news. Send HUY to stop at any time.")


def _prices(item: str, language: str) -> str:
    wanted = item.replace(" ", "")
    found = [
        row
        for row in latest_prices()
        if sms.fold(row.commodity.name).upper().replace(" ", "") == wanted
    ][:MAX_PRICES]
    if not found:
        return gettext("No recent price for %(item)s.") % {"item": item.lower()}
    return "; ".join(
        f"{row.commodity.name} {format_vnd(row.price, language)}/{row.commodity.unit} "
        f"{row.market.name} {format_date(row.date, language)}"
        for row in found
    )
