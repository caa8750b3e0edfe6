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
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.models import Site

from cms.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES
from cms.models import ArticlePage
from outreach import sms
from outreach.audience import audience
from outreach.models import (
    Bulletin,
    BulletinState,
    BulletinText,
    Channel,
    Contact,
    Message,
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


def bulletin_from_article(page: ArticlePage) -> Bulletin:
    """A draft bulletin for those following ``page``'s topic, in each language it has."""
    with transaction.atomic():
        bulletin = Bulletin.objects.create(
            name=page.title,
            purpose=Purpose.BULLETINS,
            topic=page.topic,
            page=page,
            channels=ALL_CHANNELS,
        )
        for code in LANGUAGE_CODES:
            if code != DEFAULT_LANGUAGE and not page.has_translation(code):
                continue
            with translation.override(code):
                title, summary = page.title, page.summary
            link = page.full_url_in(code)
            BulletinText.objects.create(
                bulletin=bulletin,
                language=code,
                short=f"{title}\n{link}",
                title=title,
                body=summary,
                link=link,
            )
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
    size = audience(bulletin).count()
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
    """The audience in batches, by primary key: never all of it in memory."""
    contacts = audience(bulletin).select_related("subscriber").order_by("pk")
    last = 0
    while batch := list(contacts.filter(pk__gt=last)[: _limits()["BATCH_SIZE"]]):
        yield batch
        last = batch[-1].pk


def _message(bulletin: Bulletin, contact: Contact, now: datetime.datetime, base: str) -> Message:
    language = contact.subscriber.language
    text = text_for(bulletin, language)
    unsubscribe = f"{base}/{language}/subscribe/unsubscribe/{unsubscribe_token(contact)}/"
    manage = f"{base}/{language}/subscribe/manage/{manage_token(contact.subscriber)}/"
    if contact.channel in (Channel.SMS, Channel.ZALO):
        body = short_text(bulletin, text)
    else:
        with translation.override(language):
            footer = gettext("Stop these messages: %(stop)s\nChange your subscription: %(manage)s")
        body = f"{text.body}\n\n{text.link}\n\n" + footer % {"stop": unsubscribe, "manage": manage}
    return Message(
        bulletin=bulletin,
        contact=contact,
        channel=contact.channel,
        kind=MessageKind.BULLETIN,
        language=text.language,
        subject=text.title,
        text=body,
        link=text.link,
        unsubscribe_url=unsubscribe,
        urgent=bulletin.urgent,
        next_attempt_at=quiet_until(contact.channel, bulletin.urgent, now),
    )


def build_outbox(bulletin: Bulletin) -> list[int]:
    """Put one message per audience contact in the outbox, batch by batch; the ids of the new
    messages. Built again after a crash, it adds only the messages still missing. A subscriber
    at the day's cap is left out, unless the bulletin is urgent."""
    now = timezone.now()
    base = site_url().rstrip("/")
    created: list[int] = []
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
        with transaction.atomic():
            Message.objects.bulk_create(
                [_message(bulletin, contact, now, base) for contact in batch],
                ignore_conflicts=True,
            )
            created += Message.objects.filter(
                bulletin=bulletin, contact__in=batch, attempts=0
            ).values_list("pk", flat=True)
    Bulletin.objects.filter(pk=bulletin.pk).update(state=BulletinState.SENDING)
    return created
