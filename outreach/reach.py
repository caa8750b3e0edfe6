"""How far the site, the bulletins, the loudspeakers and the offices reach, between two days
(both included, Vietnam time): counts added up in the database, never a row per person.

What is shown in public goes through ``outreach.suppression`` first.
"""

import datetime
from typing import NamedTuple

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from outreach.models import (
    Message,
    MessageState,
    PageViews,
    PlayOutcome,
    PlayReport,
    Submission,
)
from outreach.models.messages import MessageKind


class PageViewsRow(NamedTuple):
    """A page's views in a language on a day."""

    page_id: int
    title: str
    language: str
    day: datetime.date
    views: int


class BulletinReachRow(NamedTuple):
    """Bulletin messages of a channel, in a language, to subscribers of a province.

    ``province_id`` is ``None`` (``province`` empty) for messages whose subscriber has since
    been erased: they stay counted, not where they went.
    """

    channel: str
    language: str
    province_id: int | None
    province: str
    sent: int
    """Handed to the provider, whatever came of them after."""
    delivered: int
    failed: int
    """Failed or expired, before or after they were handed over."""


class LoudspeakerPlaysRow(NamedTuple):
    """Broadcasts played in full in a commune on a day."""

    commune_id: int
    commune: str
    day: datetime.date
    plays: int


class QuestionsRow(NamedTuple):
    """Residents' submissions an office (``None``: triage) received, and answered."""

    office_id: int | None
    office: str
    received: int
    answered: int


def page_views(start: datetime.date, end: datetime.date) -> list[PageViewsRow]:
    """Views per page, language and day from ``start`` to ``end``, by day, page and language."""
    rows = (
        PageViews.objects.filter(day__range=(start, end))
        .values("page_id", "language", "day")
        .annotate(title=F("page__title"), total=Sum("views"))
        .order_by("day", "page_id", "language")
    )
    return [
        PageViewsRow(row["page_id"], row["title"], row["language"], row["day"], row["total"])
        for row in rows
    ]


def bulletin_reach(start: datetime.date, end: datetime.date) -> list[BulletinReachRow]:
    """Bulletin messages sent, delivered and failed per channel, language (the language the
    message was written in) and province of the subscriber, of the outboxes built from
    ``start`` to ``end``; by channel, language and province."""
    sent = Q(sent_at__isnull=False) | Q(state__in=[MessageState.SENT, MessageState.DELIVERED])
    rows = (
        Message.objects.filter(kind=MessageKind.BULLETIN, created_at__range=moments(start, end))
        .values("channel", "language", province_id=F("contact__subscriber__province_id"))
        .annotate(
            province=F("contact__subscriber__province__name"),
            sent=Count("pk", filter=sent),
            delivered=Count("pk", filter=Q(state=MessageState.DELIVERED)),
            failed=Count("pk", filter=Q(state__in=[MessageState.FAILED, MessageState.EXPIRED])),
        )
        .order_by()
    )
    found = [
        BulletinReachRow(
            row["channel"],
            row["language"],
            row["province_id"],
            row["province"] or "",
            row["sent"],
            row["delivered"],
            row["failed"],
        )
        for row in rows
    ]
    return sorted(found, key=lambda row: (row.channel, row.language, row.province))


def loudspeaker_plays(start: datetime.date, end: datetime.date) -> list[LoudspeakerPlaysRow]:
    """Broadcasts played in full per commune and day (Vietnam time) from ``start`` to ``end``;
    a cluster's broadcast counts for each commune it serves. By commune and day."""
    rows = (
        PlayReport.objects.filter(
            outcome=PlayOutcome.PLAYED,
            started_at__range=moments(start, end),
            cluster__communes__isnull=False,
        )
        .values(
            commune_id=F("cluster__communes"),
            day=TruncDate("started_at", tzinfo=timezone.get_default_timezone()),
        )
        .annotate(commune=F("cluster__communes__name"), plays=Count("pk"))
        .order_by()
    )
    found = [
        LoudspeakerPlaysRow(row["commune_id"], row["commune"], row["day"], row["plays"])
        for row in rows
    ]
    return sorted(found, key=lambda row: (row.commune, row.commune_id, row.day))


def questions(start: datetime.date, end: datetime.date) -> list[QuestionsRow]:
    """Residents' submissions (questions, reports, proposals) each office received from
    ``start`` to ``end``, and those it answered then (whenever received). By office."""
    days = moments(start, end)
    received = Q(received_at__range=days)
    answered = Q(answered_at__range=days)
    rows = (
        Submission.objects.filter(received | answered)
        .values("office_id")
        .annotate(
            name=F("office__name"),
            received=Count("pk", filter=received),
            answered=Count("pk", filter=answered),
        )
        .order_by()
    )
    found = [
        QuestionsRow(row["office_id"], row["name"] or "", row["received"], row["answered"])
        for row in rows
    ]
    return sorted(found, key=lambda row: (row.office, row.office_id or 0))


def moments(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """The first and last microsecond of the days from ``start`` to ``end``, Vietnam time."""
    zone = timezone.get_default_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    last = datetime.datetime.combine(end, datetime.time.max, tzinfo=zone)
    return first, last
