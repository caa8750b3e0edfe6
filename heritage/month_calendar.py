"""A month of festivals laid out as weeks of days, with the Vietnamese lunar date of each day."""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone

from heritage import lunar
from heritage.festival_dates import Occurrence, Rule, occurrences_between
from heritage.models.records import HeritageRecord

FIRST_YEAR = 1900
LAST_YEAR = 2100
FESTIVALS_PER_DAY = 5
"""A day lists this many festivals and counts the rest, so a busy month stays light to load."""


@dataclass(frozen=True)
class Day:
    """One day of the month: its lunar date and the festivals taking place on it."""

    date: datetime.date
    lunar: lunar.LunarDate
    festivals: list[Occurrence] = field(default_factory=list)

    @property
    def shown(self) -> list[Occurrence]:
        """The festivals listed on the day."""
        return self.festivals[:FESTIVALS_PER_DAY]

    @property
    def more(self) -> int:
        """How many more festivals the day has."""
        return max(len(self.festivals) - FESTIVALS_PER_DAY, 0)

    @property
    def starts_lunar_month(self) -> bool:
        """Whether a lunar month begins today (the calendar then names the month)."""
        return self.lunar.day == 1


@dataclass(frozen=True)
class Month:
    """A Gregorian month as weeks from Monday to Sunday; days of other months are ``None``."""

    year: int
    month: int
    weeks: list[list[Day | None]]

    @property
    def this_year(self) -> bool:
        """Whether the month is in the current year, which the archive's month filter uses."""
        return self.year == timezone.localdate().year

    @property
    def first(self) -> datetime.date:
        """Its first day."""
        return datetime.date(self.year, self.month, 1)

    @property
    def previous(self) -> datetime.date | None:
        """The first day of the month before, if the calendar reaches it."""
        day = self.first - datetime.timedelta(days=1)
        return day.replace(day=1) if day.year >= FIRST_YEAR else None

    @property
    def next(self) -> datetime.date | None:
        """The first day of the month after, if the calendar reaches it."""
        day = self.first + datetime.timedelta(days=31)
        return day.replace(day=1) if day.year <= LAST_YEAR else None


def in_range(year: int, month: int) -> bool:
    """Whether the calendar shows this month (1900 to 2100, where the lunar tables hold)."""
    return FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12


def month_of_festivals(
    records: models.QuerySet[HeritageRecord],
    year: int,
    month: int,
    counts: dict[Rule, int] | None = None,
) -> Month:
    """The month's weeks, each day with its lunar date and the festivals among ``records``.

    ``counts`` reuses ``browse.rule_counts`` of ``records``.
    """
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(year, month)
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    by_day: dict[datetime.date, list[Occurrence]] = defaultdict(list)
    for occurrence in occurrences_between(records, first, last, counts):
        day = max(occurrence.start, first)
        while day <= min(occurrence.end, last):
            by_day[day].append(occurrence)
            day += datetime.timedelta(days=1)
    return Month(
        year,
        month,
        [
            [
                Day(day, lunar.solar_to_lunar(day), by_day.get(day, []))
                if day.month == month
                else None
                for day in week
            ]
            for week in weeks
        ],
    )
