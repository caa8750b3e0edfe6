"""Bulletins from articles and by hand: their texts, their approval, and their outbox.

An article's bulletin is written from the article itself in each language it is translated
into; a subscriber whose language it is not translated into gets the Vietnamese, as the site's
pages fall back. Nothing is machine-translated.
"""

import datetime
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.models import Site

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
from outreach.subscriptions import manage_token, unsubscribe_token

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
ALL_CHANNELS = [Channel.EMAIL, Channel.SMS, Channel.PUSH, Channel.ZALO]


def _limits() -> dict:
    return settings.BANLANG_OUTREACH


class SecondPersonNeeded(Exception):
    """A bulletin for a large audience approved by the person who wrote it."""


def site_url() -> str:
    """The public site's address, for links in messages."""
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site else settings.WAGTAILADMIN_BASE_URL


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


def approve(bulletin: Bulletin, user: object) -> None:
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
    bulletin.approved_by = user if getattr(user, "pk", None) else None
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


def _batches(bulletin: Bulletin) -> Iterator[list[Contact]]:
    """The audience in batches, by primary key: never all of it in memory, and of each contact
    only what its message is made of."""
    contacts = (
        audience(bulletin)
        .select_related("subscriber")
        .only("channel", "subscriber__language", "subscriber__public_id")
        .order_by("pk")
    )
    last = 0
    while batch := list(contacts.filter(pk__gt=last)[: _limits()["BATCH_SIZE"]]):
        yield batch
        last = batch[-1].pk


def footer(language: str, unsubscribe: str, manage: str) -> str:
    """How to stop or change, in the reader's ``language``: the end of every e-mail and push
    message."""
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


def long_text(text: BulletinText, language: str, unsubscribe: str, manage: str) -> str:
    """The e-mail and push text: the body, the link, and how to stop or change, in the
    reader's ``language``."""
    return f"{text.body}\n\n{text.link}\n\n" + footer(language, unsubscribe, manage)


def _message(bulletin: Bulletin, contact: Contact, now: datetime.datetime, base: str) -> Message:
    language = contact.subscriber.language
    text = text_for(bulletin, language)
    if contact.channel in (Channel.SMS, Channel.ZALO):
        # Withdrawn by replying STOP: the text has no room for links.
        body, unsubscribe = short_text(bulletin, text), ""
    else:
        unsubscribe, manage = personal_links(contact, base)
        body = long_text(text, language, unsubscribe, manage)
    return Message(
        bulletin=bulletin,
        contact_id=contact.pk,
        channel=contact.channel,
        kind=MessageKind.BULLETIN,
        language=text.language,
        subject=text.title,
        text=body,
        link=text.link,
        unsubscribe_url=unsubscribe,
        urgent=bulletin.urgent,
        due_at=quiet_until(contact.channel, bulletin.urgent, now) or now,
    )


def build_outbox(bulletin: Bulletin) -> int:
    """Put one message per audience contact in the outbox, batch by batch; how many messages
    it added. Built again after a crash, it adds only the messages still missing. A subscriber
    at the day's cap is left out, unless the bulletin is urgent."""
    now = timezone.now()
    base = site_url().rstrip("/")
    added = 0
    bulletin = Bulletin.objects.prefetch_related("texts").get(pk=bulletin.pk)
    for batch in _batches(bulletin):
        if not bulletin.urgent:
            recent = (
                Message.objects.filter(
                    contact__in=batch,
                    kind=MessageKind.BULLETIN,
                    created_at__gte=now - datetime.timedelta(days=1),
                )
                .exclude(bulletin=bulletin)
                .values_list("contact")
                .annotate(count=Count("pk"))
            )
            capped = {pk for pk, count in recent if count >= _limits()["DAILY_CAP"]}
            batch = [contact for contact in batch if contact.pk not in capped]
        mine = Message.objects.filter(bulletin=bulletin, contact__in=batch)
        with transaction.atomic():
            before = mine.count()
            Message.objects.bulk_create(
                [_message(bulletin, contact, now, base) for contact in batch],
                ignore_conflicts=True,
            )
            added += mine.count() - before
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
