"""When festivals take place: date rules, their Gregorian dates in a year, and festivals in a span.

A record's rule is a lunar date (month, day, and whether it falls in the repeated month of a leap
year), a Gregorian date, or a described season with no fixed day. Lunar dates are converted with
the Vietnamese calendar (``heritage.lunar``).

Finding the festivals of a month among thousands of records does not convert every record: the
records share a few hundred distinct rules, so each distinct rule is converted once and the
matching records are fetched with one query.
"""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from heritage import lunar

if TYPE_CHECKING:
    from heritage.models import HeritageRecord


class DateRule(models.TextChoices):
    """How a festival's date is fixed."""

    NONE = "", _("No set time")
    LUNAR = "lunar", _("Lunar date")
    GREGORIAN = "gregorian", _("Gregorian date")
    SEASON = "season", _("A season")


Span = tuple[datetime.date, datetime.date]


def _lunar_start(lunar_year: int, month: int, day: int, leap: bool) -> datetime.date:
    """The Gregorian day of a lunar date; the 30th of a 29-day month is its last day."""
    in_leap = leap and lunar.leap_month(lunar_year) == month
    try:
        return lunar.lunar_to_solar(lunar_year, month, day, leap=in_leap)
    except ValueError:
        return lunar.lunar_to_solar(lunar_year, month, day - 1, leap=in_leap)


def _gregorian_start(year: int, month: int, day: int) -> datetime.date:
    """The Gregorian day; 29 February is kept on the 28th in common years."""
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return datetime.date(year, month, day - 1)


def occurrences(
    rule: str,
    month: int | None,
    day: int | None,
    leap: bool,
    duration_days: int,
    year: int,
) -> list[Span]:
    """First and last days of each occurrence starting in Gregorian ``year`` (none for seasons).

    A lunar festival of the 11th or 12th month can start in January of the next Gregorian
    year, so a Gregorian year may hold zero, one or two occurrences of a lunar rule.
    """
    if not month or not day:
        return []
    length = datetime.timedelta(days=max(duration_days, 1) - 1)
    if rule == DateRule.GREGORIAN:
        start = _gregorian_start(year, month, day)
        return [(start, start + length)]
    if rule != DateRule.LUNAR:
        return []
    starts = (_lunar_start(lunar_year, month, day, leap) for lunar_year in (year - 1, year))
    return [(start, start + length) for start in starts if start.year == year]


@dataclass(frozen=True)
class Occurrence:
    """A record's festival on given days."""

    record: "HeritageRecord"
    start: datetime.date
    end: datetime.date


RULE_FIELDS = ("date_rule", "date_month", "date_day", "date_leap_month", "duration_days")


def occurrences_between(
    records: "models.QuerySet[HeritageRecord]", first: datetime.date, last: datetime.date
) -> list[Occurrence]:
    """Festivals among ``records`` that take place on any day from ``first`` to ``last``.

    Sorted by start day, then title. ``records`` should already be filtered by protocol.
    """
    dated = records.filter(date_rule__in=[DateRule.LUNAR, DateRule.GREGORIAN])
    spans: dict[tuple, list[Span]] = {}
    for rule in dated.order_by().values_list(*RULE_FIELDS).distinct():
        found = [
            span
            for year in range(first.year - 1, last.year + 1)
            for span in occurrences(*rule, year)
            if span[0] <= last and span[1] >= first
        ]
        if found:
            spans[rule] = found
    if not spans:
        return []
    matching = models.Q()
    for rule in spans:
        matching |= models.Q(**dict(zip(RULE_FIELDS, rule, strict=True)))
    result = [
        Occurrence(record, start, end)
        for record in dated.filter(matching)
        for start, end in spans[tuple(getattr(record, field) for field in RULE_FIELDS)]
    ]
    return sorted(result, key=lambda item: (item.start, item.record.title))


def in_season(month: int) -> models.Q:
    """Records whose season (from month to month, perhaps across the new year) holds ``month``."""
    within = models.Q(season_start_month__lte=models.F("season_end_month")) & models.Q(
        season_start_month__lte=month, season_end_month__gte=month
    )
    wrapping = models.Q(season_start_month__gt=models.F("season_end_month")) & (
        models.Q(season_start_month__lte=month) | models.Q(season_end_month__gte=month)
    )
    return models.Q(date_rule=DateRule.SEASON) & (within | wrapping)
