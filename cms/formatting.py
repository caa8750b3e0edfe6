"""Numbers, prices and dates written the way readers of each language expect.

Babel (CLDR) knows Vietnamese, Khmer and English; the minority languages of Vietnam have no CLDR
data, and their readers use Vietnamese conventions, so they are formatted as Vietnamese.
"""

import datetime
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.dates import format_interval, format_skeleton, get_day_names, get_month_names
from babel.dates import format_time as babel_format_time
from babel.numbers import format_decimal
from django.utils import timezone

from cms.languages import DEFAULT_LANGUAGE


@cache
def cldr_locale(code: str) -> Locale:
    """The CLDR locale to format for language ``code``: itself if CLDR knows it, else vi."""
    if code in {"vi", "en", "km"}:
        try:
            return Locale.parse(code)
        except UnknownLocaleError:
            pass
    return Locale.parse(DEFAULT_LANGUAGE)


def written_language(code: str) -> str:
    """The language numbers, dates and month names for a reader of ``code`` are written in."""
    return cldr_locale(code).language


def format_number(value: int | float, code: str) -> str:
    """A number with the language's grouping, e.g. ``45.000`` in Vietnamese."""
    return format_decimal(value, locale=cldr_locale(code))


def format_vnd(value: int, code: str) -> str:
    """A price in Vietnamese đồng, e.g. ``45.000 ₫``."""
    return f"{format_number(value, code)}\u00a0₫"


DATE_LENGTH = "medium"
"""The one way a day is written in each language (``18 thg 11, 2026``, ``Nov 18, 2026``):
CLDR's medium format, which its formats for runs of days (``18 – 20 thg 11, 2026``) match."""
DATE_RANGE_SKELETON = "yMMMd"
MONTH_SKELETON = "yMMMM"
DAY_MONTH_SKELETON = "MMMd"


def format_date(value: datetime.date, code: str) -> str:
    """A day, written the site's one way for language ``code``: ``18 thg 11, 2026``."""
    return babel_format_date(value, format=DATE_LENGTH, locale=cldr_locale(code))


def format_moment(value: datetime.datetime, code: str) -> str:
    """A day and the time of day, in Vietnam's time: ``18 thg 11, 2026 14:05``."""
    local = timezone.localtime(value)
    time = babel_format_time(local, format="short", locale=cldr_locale(code))
    return f"{format_date(local.date(), code)} {time}"


def format_date_range(start: datetime.date, end: datetime.date, code: str) -> str:
    """A day or a run of days, written like a day: ``3 – 5 thg 3, 2026``."""
    if start == end:
        return format_date(start, code)
    return format_interval(start, end, DATE_RANGE_SKELETON, locale=cldr_locale(code))


def format_month(value: datetime.date, code: str) -> str:
    """The month of ``value`` with its year: ``tháng 2 năm 2026``, ``February 2026``."""
    return format_skeleton(MONTH_SKELETON, value, locale=cldr_locale(code))


def format_day_month(value: datetime.date, code: str) -> str:
    """A day of the year without the year, written like a day: ``6 thg 5``, ``May 6``."""
    return format_skeleton(DAY_MONTH_SKELETON, value, locale=cldr_locale(code))


def month_name(month: int, code: str) -> str:
    """The name of Gregorian month ``month`` (1–12) on its own: ``tháng 5``, ``May``."""
    return get_month_names("wide", context="stand-alone", locale=cldr_locale(code))[month]


def weekday_names(code: str) -> list[tuple[str, str]]:
    """Monday to Sunday, as (abbreviation, full name)."""
    locale = cldr_locale(code)
    short = get_day_names("abbreviated", locale=locale)
    full = get_day_names("wide", locale=locale)
    return [(short[day], full[day]) for day in range(7)]


def format_clock(seconds: float) -> str:
    """A length of time as a clock shows it, the same in every language: ``1:05`` (to the
    nearest second)."""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"
