"""Digests for agency staff: what was published since the last digest, by e-mail.

Each staff member (a subscriber who named an agency) gets, on each confirmed e-mail contact
with consent to news, the articles of the topics they follow, each titled and linked in their
language where the article has it and in Vietnamese, said so, where it has not. Someone with
nothing new gets nothing. A period is digested once: made again, it adds nothing.
"""

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from cms.formatting import format_date_range
from cms.languages import DEFAULT_LANGUAGE
from cms.models import ArticlePage, TopicIndexPage
from outreach.audience import Addressing, audience
from outreach.bulletins import VIETNAM
from outreach.models import Channel, Contact, Digest, Message, Purpose
from outreach.models.messages import MessageKind


def recipients() -> Iterator[list[Contact]]:
    """Agency staff's e-mail contacts that may get news, in batches, by primary key."""
    contacts = (
        audience(Addressing(purpose=Purpose.BULLETINS, channels=[Channel.EMAIL]))
        .exclude(subscriber__agency="")
        .select_related("subscriber")
        .prefetch_related("subscriber__interests")
        .order_by("pk")
    )
    last = 0
    while batch := list(contacts.filter(pk__gt=last)[: settings.BANLANG_OUTREACH["BATCH_SIZE"]]):
        yield batch
        last = batch[-1].pk


def published(start: datetime.datetime, end: datetime.datetime) -> dict[str, list[ArticlePage]]:
    """The articles first published in [``start``, ``end``), by topic, oldest first."""
    found: dict[str, list[ArticlePage]] = {}
    for section in TopicIndexPage.objects.live():
        articles = (
            ArticlePage.objects.child_of(section)
            .live()
            .filter(first_published_at__gte=start, first_published_at__lt=end)
            .order_by("first_published_at")
        )
        if articles:
            found.setdefault(section.topic, []).extend(articles)
    return found


def entry(article: ArticlePage, language: str) -> str:
    """One article's lines in the digest for a ``language`` reader."""
    code = language if article.has_translation(language) else DEFAULT_LANGUAGE
    with translation.override(code):
        title = article.title
    notice = ""
    if code != language:
        with translation.override(language):
            notice = " " + gettext("(in Vietnamese)")
    return f"- {title}{notice}\n  {article.full_url_in(code)}"


def text(articles: list[ArticlePage], language: str, period: Digest) -> tuple[str, str]:
    """The digest's subject and text for a ``language`` reader (``outreach.links`` adds their
    own links when it is sent)."""
    days = format_date_range(
        period.period_start.astimezone(VIETNAM).date(),
        period.period_end.astimezone(VIETNAM).date(),
        language,
    )
    with translation.override(language):
        subject = gettext("New on Bản Làng: %(days)s") % {"days": days}
        lead = gettext("Articles in the topics you follow:")
    lines = "\n".join(entry(article, language) for article in articles)
    return subject, f"{lead}\n\n{lines}"


def build_digest(end: datetime.datetime | None = None) -> Digest | None:
    """The digest of what was published from the last digest's end (or a day before ``end``)
    until ``end`` (now), with a message for each staff member who has something new; ``None``
    when that period is already digested."""
    end = end or timezone.now()
    previous = Digest.objects.filter(period_end__lte=end).order_by("-period_end").first()
    start = previous.period_end if previous else end - datetime.timedelta(days=1)
    if previous is not None and previous.period_end == end:
        return None
    digest = Digest.objects.create(period_start=start, period_end=end)
    articles = published(start, end)
    for batch in recipients():
        messages = []
        for contact in batch:
            subscriber = contact.subscriber
            topics = {interest.topic for interest in subscriber.interests.all()}
            chosen = [article for topic in sorted(topics) for article in articles.get(topic, [])]
            if not chosen:
                continue
            subject, body = text(chosen, subscriber.language, digest)
            messages.append(
                Message(
                    digest=digest,
                    contact=contact,
                    channel=contact.channel,
                    kind=MessageKind.DIGEST,
                    language=subscriber.language,
                    subject=subject,
                    text=body,
                )
            )
        with transaction.atomic():
            Message.objects.bulk_create(messages, ignore_conflicts=True)
    return digest
