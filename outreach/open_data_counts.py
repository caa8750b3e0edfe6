"""The rows of the open datasets, counted in the database: never a row per person.

Counts of what people did (bulletins received, questions asked) come from ``outreach.reach``
and pass through ``outreach.suppression`` before anything else sees them; counts of articles,
heritage records, prices and broadcasts are not about people and are published whole.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterator
from statistics import median

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    CharField,
    Count,
    DateTimeField,
    F,
    IntegerField,
    Min,
    OuterRef,
    Subquery,
)
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone

from cms.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES
from cms.models import ArticlePage, MarketPrice, TopicIndexPage, TranslationStatus
from cms.translation_state import TRANSLATIONS, State
from heritage.models import HeritageRecord, Place
from heritage.models.reference import provinces_of
from outreach import reach
from outreach.models import Channel, Message, PlayOutcome, PlayReport, Submission
from outreach.models.messages import MessageKind
from outreach.open_data_tables import ALL, Row, shown_count
from outreach.suppression import ShownTable, suppress_group, suppress_table

UNKNOWN = "unknown"
"""Written where a heritage record names no ethnic group, or no place, and where a message's
subscriber was erased since."""
NO_OFFICE = "none"
"""Written for the submissions not yet sent to any office (triage)."""
CURRENCY = "VND"


def _local_month(value: datetime.datetime | datetime.date) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return value.replace(day=1)


def content_published() -> Iterator[Row]:
    """Articles published per topic and month (of first publication, Vietnam time), and, in
    each language, how many of them are translated and up to date (all of them in Vietnamese).

    The state of a translation is the one ``cms.translation_state`` keeps per article and
    language (``TranslationStatus``), counted in the database.
    """
    articles = ContentType.objects.get_for_model(ArticlePage)
    published_at = ArticlePage.objects.filter(pk=Cast(OuterRef("object_id"), IntegerField()))
    rows: list[Row] = []
    for section in TopicIndexPage.objects.order_by("topic"):
        published = ArticlePage.objects.live().public().descendant_of(section)
        months = (
            published.annotate(month=TruncMonth("first_published_at"))
            .values_list("month")
            .annotate(n=Count("pk"))
            .order_by()
        )
        totals = {_local_month(month): n for month, n in months if month is not None}
        translated = (
            TranslationStatus.objects.filter(
                content_type=articles,
                language__in=TRANSLATIONS,
                state=State.UP_TO_DATE,
                object_id__in=published.annotate(key=Cast("pk", CharField())).values("key"),
            )
            .annotate(
                month=TruncMonth(
                    Subquery(
                        published_at.values("first_published_at")[:1],
                        output_field=DateTimeField(),
                    )
                )
            )
            .values_list("language", "month")
            .annotate(n=Count("pk"))
            .order_by()
        )
        up_to_date = {
            (language, _local_month(month)): n
            for language, month, n in translated
            if month is not None
        }
        for month, total in totals.items():
            for language in LANGUAGE_CODES:
                done = total if language == DEFAULT_LANGUAGE else up_to_date.get((language, month))
                rows.append(
                    {
                        "month": month,
                        "topic": section.topic,
                        "language": language,
                        "published": total,
                        "translated": done or 0,
                    }
                )
    rows.sort(key=lambda row: (row["month"], row["topic"], LANGUAGE_CODES.index(row["language"])))
    yield from rows


def heritage_records() -> Iterator[Row]:
    """Live public heritage records per ethnic group, today's province and kind.

    Only what an anonymous reader may see is counted (``heritage.protocols.visible_to``): a
    community, restricted or secret/sacred record is in no count. A record of several ethnic
    groups or provinces counts once in each; two communes of one province count once.
    """
    public = HeritageRecord.objects.published().visible_to(AnonymousUser())
    kinds = dict(public.values_list("pk", "kind"))
    groups: dict[int, set[str]] = defaultdict(set)
    group_names: dict[str, tuple[str, str]] = {UNKNOWN: (UNKNOWN, UNKNOWN)}
    links = HeritageRecord.ethnic_groups.through.objects.filter(heritagerecord__in=public)
    for record, group, name_vi, name_en in links.values_list(
        "heritagerecord_id", "ethnicgroup__code", "ethnicgroup__name_vi", "ethnicgroup__name_en"
    ):
        groups[record].add(group)
        group_names[group] = (name_vi, name_en)
    places = HeritageRecord.places.through.objects.filter(heritagerecord__in=public)
    pairs = list(places.values_list("heritagerecord_id", "place_id"))
    province_of = provinces_of({place for _, place in pairs})
    province_names = dict(
        Place.objects.filter(pk__in=set(province_of.values())).values_list("pk", "name")
    )
    provinces: dict[int, set[str]] = defaultdict(set)
    for record, place in pairs:
        if place in province_of:
            provinces[record].add(province_names[province_of[place]])
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    for record, kind in kinds.items():
        for group in groups[record] or {UNKNOWN}:
            for province in provinces[record] or {UNKNOWN}:
                counts[(group, province, kind)] += 1
    for (group, province, kind), records in sorted(counts.items()):
        yield {
            "ethnic_group_code": group,
            "ethnic_group": group_names[group][0],
            "ethnic_group_en": group_names[group][1] or None,
            "province": province,
            "kind": kind,
            "records": records,
        }


def market_prices() -> Iterator[Row]:
    """Every recorded price: per day, commodity and market, in đồng per unit."""
    prices = MarketPrice.objects.order_by("date", "commodity__slug_vi", "market__name", "pk")
    columns = (
        "date",
        "commodity__slug_vi",
        "commodity__name_vi",
        "commodity__name_en",
        "market_id",
        "market__name",
        "market__province",
        "commodity__unit_vi",
        "price",
    )
    for day, slug, name, name_en, market, market_name, province, unit, price in prices.values_list(
        *columns
    ).iterator(2000):
        yield {
            "date": day,
            "commodity": slug,
            "commodity_name": name,
            "commodity_name_en": name_en or None,
            "market_id": market,
            "market": market_name,
            "province": province,
            "unit": unit,
            "currency": CURRENCY,
            "price": price,
        }


def programmes_aired() -> Iterator[Row]:
    """Loudspeaker broadcasts played to the end, per commune of the cluster that played them
    and month (Vietnam time), and how many programmes they were."""
    counted = (
        PlayReport.objects.filter(outcome=PlayOutcome.PLAYED)
        .values_list(F("cluster__communes"), TruncMonth("started_at"))
        .annotate(plays=Count("pk"), programmes=Count("programme", distinct=True))
        .order_by()
    )
    figures = [row for row in counted if row[0] is not None]
    province_of = provinces_of({commune for commune, *_ in figures})
    names = dict(
        Place.objects.filter(
            pk__in={commune for commune, *_ in figures} | set(province_of.values())
        ).values_list("pk", "name")
    )
    rows: dict[tuple[datetime.date, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for commune, month, plays, programmes in figures:
        province = names.get(province_of.get(commune, 0), UNKNOWN)
        sums = rows[(_local_month(month), province, names[commune])]
        sums[0] += plays
        sums[1] += programmes
    for (month, province, commune), (plays, programmes) in sorted(rows.items()):
        yield {
            "month": month,
            "province": province,
            "commune": commune,
            "plays": plays,
            "programmes": programmes,
        }


def closed_months(since: datetime.datetime | None) -> list[tuple[datetime.date, datetime.date]]:
    """The first and last day of each month from ``since``'s to last month (Vietnam time).

    Counts of people are published for months that are over, so that the same month is not
    published again and again, a little higher each day: two versions a day apart would tell
    what one person did that day.
    """
    if since is None:
        return []
    month = _local_month(since)
    this_month = timezone.localdate().replace(day=1)
    months = []
    while month < this_month:
        following = (month + datetime.timedelta(days=32)).replace(day=1)
        months.append((month, following - datetime.timedelta(days=1)))
        month = following
    return months


def bulletins_reach() -> Iterator[Row]:
    """Bulletin messages sent, delivered and failed per province of the subscriber, channel
    and month of the outbox (``outreach.reach.bulletin_reach``, languages added up), with the
    totals of each province, channel and month; small counts suppressed, each measure as a
    table of provinces by channels."""
    bulletins = Message.objects.filter(kind=MessageKind.BULLETIN)
    first = bulletins.aggregate(first=Min("created_at"))["first"]
    channels = list(Channel.values)
    measures = ("sent", "delivered", "failed")
    for start, end in closed_months(first):
        figures: dict[str, dict[str, list[int]]] = defaultdict(
            lambda: {measure: [0] * len(channels) for measure in measures}
        )
        for reached in reach.bulletin_reach(start, end):
            counted = figures[reached.province or UNKNOWN]
            for measure in measures:
                counted[measure][channels.index(reached.channel)] += getattr(reached, measure)
        if not figures:
            continue
        provinces = sorted(figures)
        tables = {
            measure: suppress_table([figures[name][measure] for name in provinces])
            for measure in measures
        }
        for index, province in enumerate([*provinces, ALL]):
            for column, channel in enumerate([*channels, ALL]):
                row: Row = {"month": start, "province": province, "channel": channel}
                for measure, table in tables.items():
                    row |= shown_count(measure, _cell(table, index, column))
                yield row


def _cell(table: ShownTable, row: int, column: int) -> str:
    """The shown cell of ``table`` at ``row`` and ``column``, the totals being the last row
    and column."""
    last_row = row == len(table.cells)
    last_column = column == len(table.column_totals)
    if last_row:
        return table.total if last_column else table.column_totals[column]
    return table.row_totals[row] if last_column else table.cells[row][column]


def questions_answered() -> Iterator[Row]:
    """Residents' submissions each office received in a month, those it answered in the
    month (``outreach.reach.questions``), and the median days from receipt to answer of
    those answered; with the month's totals. Small counts suppressed; the median only where
    the count answered is shown."""
    first = Submission.objects.aggregate(first=Min("received_at"))["first"]
    for start, end in closed_months(first):
        counted: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for row in reach.questions(start, end):
            figures = counted[row.office or NO_OFFICE]
            figures[0] += row.received
            figures[1] += row.answered
        if not counted:
            continue
        offices = sorted(counted)
        received = suppress_group([counted[office][0] for office in offices])
        answered = suppress_group([counted[office][1] for office in offices])
        days = _days_to_answer(start, end)
        everyone = [day for office in offices for day in days.get(office, [])]
        shown = [
            *zip(offices, received.cells, answered.cells, strict=True),
            (ALL, received.total, answered.total),
        ]
        for office, was_received, was_answered in shown:
            durations = everyone if office == ALL else days.get(office, [])
            visible = was_answered.isdigit() and durations
            yield {
                "month": start,
                "office": office,
                **shown_count("received", was_received),
                **shown_count("answered", was_answered),
                "median_days": round(median(durations), 1) if visible else None,
            }


def _days_to_answer(start: datetime.date, end: datetime.date) -> dict[str, list[float]]:
    """For each office, the days each submission it answered from ``start`` to ``end`` took
    from receipt to answer (the distribution a median is taken from, nothing else of it)."""
    answered = Submission.objects.filter(
        answered_at__range=reach.moments(start, end), received_at__isnull=False
    ).values_list("office__name", "received_at", "answered_at")
    days: dict[str, list[float]] = defaultdict(list)
    for office, received, answered_at in answered.iterator(2000):
        assert answered_at is not None  # answered in the range asked
        days[office or NO_OFFICE].append((answered_at - received).total_seconds() / 86400)
    return days
