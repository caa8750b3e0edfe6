"""Numbers, prices and dates written the way readers of each language expect.

Babel (CLDR) knows Vietnamese, Khmer and English; the minority languages of Vietnam have no CLDR
data, and their readers use Vietnamese conventions, so they are formatted as Vietnamese.
"""

import datetime
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal

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


def format_number(value: int | float, code: str) -> str:
    """A number with the language's grouping, e.g. ``45.000`` in Vietnamese."""
    return format_decimal(value, locale=cldr_locale(code))


def format_vnd(value: int, code: str) -> str:
    """A price in Vietnamese đồng, e.g. ``45.000 ₫``."""
    return f"{format_number(value, code)}\u00a0₫"


def format_date(value: datetime.date, code: str, length: str = "medium") -> str:
    """A date in the language's CLDR format (``short``, ``medium``, ``long`` or ``full``)."""
    return babel_format_date(value, format=length, locale=cldr_locale(code))
