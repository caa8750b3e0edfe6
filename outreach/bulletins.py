"""Bulletins from articles and by hand: their texts, their approval, and their outbox.

An article's bulletin is written from the article itself in each language it is translated
into; a subscriber whose language it is not translated into gets the Vietnamese, as the site's
pages fall back. Nothing is machine-translated.
"""

import datetime
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import Case, Count, Exists, F, Max, Min, OuterRef, QuerySet, Value, When
from django.utils import timezone, translation

from cms.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES
from cms.models import ArticlePage
from outreach import sms
from outreach.audience import audience, audience_size
from outreach.models import (
    Bulletin,
    BulletinState,
    BulletinText,
    Channel,
    Contact,
    Message,
    MessageState,
    Purpose,
)
from outreach.models.messages import MessageKind
from outreach.outbox_rows import INSERTED, RandomUUID, insert_messages

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
ALL_CHANNELS = [Channel.EMAIL, Channel.SMS, Channel.PUSH, Channel.ZALO]


def _limits() -> dict:
    return settings.BANLANG_OUTREACH


class SecondPersonNeeded(Exception):
    """A bulletin for a large audience approved by the person who wrote it."""


def article_bulletin(page: ArticlePage) -> Bulletin:
    """``page``'s bulletin, unsaved and without its texts: for the followers of its topic,
    everywhere, on every channel."""
    return Bulletin(
        name=page.title,
        purpose=Purpose.BULLETINS,
        topic=page.topic,
        page=page,
        channels=list(ALL_CHANNELS),
    )


def article_texts(page: ArticlePage) -> list[BulletinText]:
    """The texts of ``page``'s bulletin, unsaved: Vietnamese, then each language the article is
    translated into, with its title, summary and link in that language."""
    texts = []
    for code in LANGUAGE_CODES:
        if code != DEFAULT_LANGUAGE and not page.has_translation(code):
            continue
        with translation.override(code):
            title, summary = page.title, page.summary
        link = page.full_url_in(code)
        texts.append(
            BulletinText(
                language=code, short=f"{title}\n{link}", title=title, body=summary, link=link
            )
        )
    return texts


def bulletin_from_article(page: ArticlePage) -> Bulletin:
    """A draft bulletin for those following ``page``'s topic, in each language it has."""
    bulletin = article_bulletin(page)
    with transaction.atomic():
        bulletin.save()
        texts = article_texts(page)
        for text in texts:
            text.bulletin = bulletin
        BulletinText.objects.bulk_create(texts)
    return bulletin


def text_for(bulletin: Bulletin, language: str) -> BulletinText:
    """The bulletin's text in ``language``, or in Vietnamese where it has none."""
    texts = {text.language: text for text in bulletin.texts.all()}
    return texts.get(language) or texts[DEFAULT_LANGUAGE]


def short_text(bulletin: Bulletin, text: BulletinText) -> str:
    """The SMS and Zalo text, folded to unmarked letters if the editor chose so."""
    return sms.fold(text.short) if bulletin.fold_sms else text.short


def approve(bulletin: Bulletin, user: User | AnonymousUser | None) -> None:
    """Approve ``bulletin`` for sending (``outreach.tasks.send_bulletin`` queues it). Refused
    with ``SecondPersonNeeded`` when its author (or nobody, for an article's bulletin) approves
    a large one, and with ``sms.TooLong`` when a text is too long for SMS."""
    size = audience_size(bulletin)
    if size > _limits()["APPROVAL_ABOVE"] and (user is None or user == bulletin.created_by):
        bulletin.audience = size
        bulletin.state = BulletinState.AWAITING_APPROVAL
        bulletin.save(update_fields=["audience", "state"])
        raise SecondPersonNeeded
    if Channel.SMS in bulletin.channels:
        for text in bulletin.texts.all():
            sms.checked(short_text(bulletin, text))
    bulletin.audience = size
    bulletin.approved_by = user if isinstance(user, User) and user.pk else None
    bulletin.state = BulletinState.SCHEDULED
    bulletin.save(update_fields=["audience", "approved_by", "state"])


def quiet_until(channel: str, urgent: bool, now: datetime.datetime) -> datetime.datetime | None:
    """When a message on ``channel`` may go, if ``now`` is in the quiet hours; else ``None``."""
    start, end = _limits()["QUIET_HOURS"]
    if urgent or channel not in _limits()["QUIET_CHANNELS"]:
        return None
    local = now.astimezone(VIETNAM)
    if end <= local.hour < start:
        return None
    morning = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if local.hour >= start:
        morning += datetime.timedelta(days=1)
    return morning


def long_text(text: BulletinText) -> str:
    """The e-mail and push text: the body and the link (``outreach.links`` adds the reader's
    own links when it is sent)."""
    return f"{text.body}\n\n{text.link}"


def _capped(bulletin: Bulletin, now: datetime.datetime) -> QuerySet:
    """The contacts that were sent the day's cap of other bulletins."""
    return (
        Message.objects.filter(
            kind=MessageKind.BULLETIN,
            created_at__gte=now - datetime.timedelta(days=1),
            contact__isnull=False,
        )
        .exclude(bulletin=bulletin)
        .values("contact")
        .annotate(count=Count("pk"))
        .filter(count__gte=_limits()["DAILY_CAP"])
        .values("contact")
    )


def _messages(bulletin: Bulletin, contacts: QuerySet[Contact], now: datetime.datetime) -> QuerySet:
    """The outbox rows of ``bulletin`` to ``contacts``, as ``outbox.insert_messages`` takes
    them: each in its reader's language where the bulletin has it, else in Vietnamese."""
    texts = {text.language: text for text in bulletin.texts.all()}
    own = [(code, text) for code, text in texts.items() if code != DEFAULT_LANGUAGE]
    fallback = texts[DEFAULT_LANGUAGE]
    for _code, text in own:
        # A text without a link of its own leads to the Vietnamese one's, as a page without
        # a translation shows the Vietnamese.
        text.link = text.link or fallback.link
    short = [Channel.SMS, Channel.ZALO]

    def by_language(value: Callable[[BulletinText], str]) -> Case:
        return Case(
            *(When(subscriber__language=code, then=Value(value(text))) for code, text in own),
            default=Value(value(fallback)),
        )

    texts_by_channel = Case(
        *(
            When(
                channel__in=short, subscriber__language=code, then=Value(short_text(bulletin, text))
            )
            for code, text in own
        ),
        When(channel__in=short, then=Value(short_text(bulletin, fallback))),
        *(When(subscriber__language=code, then=Value(long_text(text))) for code, text in own),
        default=Value(long_text(fallback)),
    )
    due_by_channel = Case(
        *(
            When(channel=channel, then=Value(quiet_until(channel, bulletin.urgent, now) or now))
            for channel in bulletin.channels
        ),
        default=Value(now),
    )
    values = {
        "key": RandomUUID(),
        "bulletin": Value(bulletin.pk),
        "contact": F("pk"),
        "channel": F("channel"),
        "kind": Value(MessageKind.BULLETIN.value),
        "language": by_language(lambda text: text.language),
        "subject": by_language(lambda text: text.title),
        "text": texts_by_channel,
        "html": Value(""),
        "link": by_language(lambda text: text.link),
        "urgent": Value(bulletin.urgent),
        "state": Value(MessageState.QUEUED.value),
        "attempts": Value(0),
        "due_at": due_by_channel,
        "provider_id": Value(""),
        "error": Value(""),
        "created_at": Value(now),
    }
    # Named apart from the contact's own fields, which annotations may not shadow.
    return contacts.annotate(**{f"m_{name}": values[name] for name in INSERTED}).values_list(
        *(f"m_{name}" for name in INSERTED)
    )


def build_outbox(bulletin: Bulletin) -> int:
    """Put one message per audience contact in the outbox; how many it added.

    The database selects and writes the messages itself, a range of contacts at a time, each
    range in one statement and one transaction: a million subscribers never pass through
    Python, and the senders wait at most one range for the database. Built again after a
    crash, it adds only the messages still missing. A subscriber at the day's cap is left out,
    unless the bulletin is urgent."""
    now = timezone.now()
    bulletin = Bulletin.objects.prefetch_related("texts").get(pk=bulletin.pk)
    contacts = audience(bulletin)
    bounds = Contact.objects.aggregate(low=Min("pk"), high=Max("pk"))
    added = 0
    if bounds["low"] is not None:
        step = _limits()["OUTBOX_RANGE"]
        for start in range(bounds["low"], bounds["high"] + 1, step):
            chunk = contacts.filter(pk__gte=start, pk__lt=start + step)
            if not bulletin.urgent:
                capped = _capped(bulletin, now).filter(contact__gte=start, contact__lt=start + step)
                chunk = chunk.exclude(pk__in=capped)
            with transaction.atomic():
                added += insert_messages(_messages(bulletin, chunk, now))
    Bulletin.objects.filter(pk=bulletin.pk).update(state=BulletinState.SENDING)
    return added


def finish_sent() -> None:
    """Mark as sent the bulletins being sent that have no message left to send."""
    pending = Message.objects.filter(
        bulletin=OuterRef("pk"), state__in=[MessageState.QUEUED, MessageState.SENDING]
    )
    Bulletin.objects.filter(state=BulletinState.SENDING).exclude(Exists(pending)).update(
        state=BulletinState.SENT
    )
