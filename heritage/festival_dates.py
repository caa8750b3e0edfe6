"""When festivals take place: date rules, their Gregorian dates in a year, and festivals in a span.

A record's rule is a lunar date (month, day, and whether it falls in the repeated month of a leap
year), a Gregorian date, or a described season with no fixed day. Lunar dates are converted with
the Vietnamese calendar (``heritage.lunar``).

Finding the festivals of a month among thousands of records does not convert every record: the
records share a few hundred distinct rules, so each distinct rule is converted once and the
matching records are fetched with one query.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

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


def next_twelve_months(today: datetime.date) -> Span:
    """From ``today`` to the day before the same day a year on (28 February after 29th)."""
    try:
        a_year_on = today.replace(year=today.year + 1)
    except ValueError:
        a_year_on = today.replace(year=today.year + 1, day=28)
    return today, a_year_on - datetime.timedelta(days=1)


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


@lru_cache(maxsize=65536)
def occurrences(
    rule: str,
    month: int | None,
    day: int | None,
    leap: bool,
    duration_days: int,
    year: int,
) -> tuple[Span, ...]:
    """First and last days of each occurrence starting in Gregorian ``year`` (none for seasons).

    A lunar festival of the 11th or 12th month can start in January of the next Gregorian
    year, so a Gregorian year may hold zero, one or two occurrences of a lunar rule. Results are
    remembered: the same few hundred rules recur on every page.
    """
    if not month or not day:
        return ()
    length = datetime.timedelta(days=max(duration_days, 1) - 1)
    if rule == DateRule.GREGORIAN:
        start = _gregorian_start(year, month, day)
        return ((start, start + length),)
    if rule != DateRule.LUNAR:
        return ()
    starts = (_lunar_start(lunar_year, month, day, leap) for lunar_year in (year - 1, year))
    return tuple((start, start + length) for start in starts if start.year == year)


Rule = tuple[Any, ...]
"""A date rule as the values of ``RULE_FIELDS``."""

RULE_FIELDS = ("date_rule", "date_month", "date_day", "date_leap_month", "duration_days")


def spans_between(rule: Rule, first: datetime.date, last: datetime.date) -> list[Span]:
    """The occurrences of ``rule`` on any day from ``first`` to ``last``."""
    return [
        span
        for year in range(first.year - 1, last.year + 1)
        for span in occurrences(*rule, year)
        if span[0] <= last and span[1] >= first
    ]


def matching_rules(rules: Iterable[Rule]) -> models.Q:
    """The records having any of ``rules`` (none if there are no rules).

    Rules differing only in their day share one ``date_day__in`` condition, so a year's
    thousands of rules make a few dozen conditions (SQLite refuses expressions past 1,000).
    """
    days: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for rule in rules:
        values = dict(zip(RULE_FIELDS, rule, strict=True))
        day = values.pop("date_day")
        days[tuple(sorted(values.items()))].append(day)
    condition = models.Q(pk__in=[])
    for key, group in days.items():
        condition |= models.Q(**dict(key), date_day__in=group)
    return condition


@dataclass(frozen=True)
class Occurrence:
    """A record's festival on given days."""

    record: "HeritageRecord"
    start: datetime.date
    end: datetime.date


def occurrences_between(
    records: "models.QuerySet[HeritageRecord]",
    first: datetime.date,
    last: datetime.date,
    rules: Iterable[Rule] | None = None,
) -> list[Occurrence]:
    """Festivals among ``records`` that take place on any day from ``first`` to ``last``.

    Sorted by start day, then title. ``records`` should already be filtered by protocol;
    ``rules`` may pass their distinct date rules when the caller already has them.
    """
    dated = records.filter(date_rule__in=[DateRule.LUNAR, DateRule.GREGORIAN])
    if rules is None:
        rules = dated.order_by().values_list(*RULE_FIELDS).distinct()
    spans = {rule: found for rule in rules if (found := spans_between(tuple(rule), first, last))}
    if not spans:
        return []
    result = [
        Occurrence(record, start, end)
        for record in dated.filter(matching_rules(spans))
        for start, end in spans.get(tuple(getattr(record, field) for field in RULE_FIELDS), ())
    ]
    return sorted(result, key=lambda item: (item.start, item.record.title))


@lru_cache(maxsize=65536)
def festival_months(rule: Rule, year: int) -> frozenset[int]:
    """The months of Gregorian ``year`` in which a festival of ``rule`` takes place, the days of
    an occurrence begun the year before included."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    months: set[int] = set()
    for start, end in spans_between(rule, first, last):
        start, end = max(start, first), min(end, last)
        months.update(range(start.month, end.month + 1))
    return frozenset(months)


def season_months(start: int | None, end: int | None) -> frozenset[int]:
    """The months of a season from month ``start`` to month ``end``, perhaps across the new year
    (the archive finds them by their date keys)."""
    if not start or not end:
        return frozenset()
    if start <= end:
        return frozenset(range(start, end + 1))
    return frozenset(range(start, 13)) | frozenset(range(1, end + 1))


KEY_FIELDS = (*RULE_FIELDS, "season_start_month", "season_end_month")
"""A record's fields that say when its festival or season is (``rule_key``)."""


def rule_key(values: Rule) -> str:
    """A date rule, as the values of ``KEY_FIELDS``, written as a short key (``lunar-1-15-0-3``:
    rule, month, day, leap month, days; ``season-11-2``: from month to month); empty with no set
    time. Search stores the key, not the months, so the months of any year are worked out from
    it when asked (``key_months``) and nothing is re-indexed as the years pass."""
    rule, month, day, leap, duration, season_start, season_end = values
    if rule == DateRule.SEASON:
        return f"season-{season_start}-{season_end}" if season_start and season_end else ""
    if rule in (DateRule.LUNAR, DateRule.GREGORIAN) and month and day:
        return f"{rule}-{month}-{day}-{int(bool(leap))}-{duration}"
    return ""


def key_rule(key: str) -> Rule | None:
    """The date rule (the values of ``RULE_FIELDS``) a festival's key (``rule_key``) was written
    from; ``None`` for a season's key, or text that is not a key."""
    rule, *numbers = key.split("-")
    if rule not in (DateRule.LUNAR, DateRule.GREGORIAN) or len(numbers) != 4:
        return None
    if not all(number.isdecimal() and len(number) < 4 for number in numbers):
        return None
    month, day, leap, duration = (int(number) for number in numbers)
    return (rule, month, day, bool(leap), duration)


@lru_cache(maxsize=65536)
def key_months(key: str, year: int) -> frozenset[int]:
    """The months of Gregorian ``year`` in which a festival or season of ``key`` (``rule_key``)
    takes place; none for a key that is not one."""
    if (rule := key_rule(key)) is not None:
        _rule, month, day, _leap, _duration = rule
        return festival_months(rule, year) if 1 <= month <= 12 and 1 <= day <= 31 else frozenset()
    kind, *numbers = key.split("-")
    if kind != DateRule.SEASON or len(numbers) != 2:
        return frozenset()
    if not all(number.isdecimal() and len(number) < 4 for number in numbers):
        return frozenset()
    start, end = (int(number) for number in numbers)
    return season_months(start, end) if 1 <= start <= 12 and 1 <= end <= 12 else frozenset()


def record_key(record: "HeritageRecord") -> str:
    """The key of ``record``'s date rule (``rule_key``)."""
    return rule_key(tuple(getattr(record, name) for name in KEY_FIELDS))


def record_months(record: "HeritageRecord", year: int) -> frozenset[int]:
    """The months of Gregorian ``year`` in which ``record``'s festival or season takes place."""
    return key_months(record_key(record), year)


def keys_by_month(keys: Iterable[str], year: int) -> dict[int, list[str]]:
    """Those of ``keys`` (``rule_key``) whose festival or season falls in each month of
    ``year``: an archive has a few thousand distinct keys, each worked out once."""
    by_month: dict[int, list[str]] = defaultdict(list)
    for key in sorted(set(keys)):
        for month in key_months(key, year):
            by_month[month].append(key)
    return dict(by_month)


def keys_in_months(keys: Iterable[str], months: Iterable[int], year: int) -> list[str]:
    """Those of ``keys`` (``rule_key``) whose festival or season falls in any of ``months`` of
    ``year``."""
    by_month = keys_by_month(keys, year)
    return sorted({key for month in set(months) for key in by_month.get(month, ())})
