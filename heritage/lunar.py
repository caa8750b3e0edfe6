"""The Vietnamese lunisolar calendar, computed astronomically for UTC+7.

Festival dates follow the Vietnamese calendar. It uses the same rules as the Chinese one (a month
starts on the day of the new moon; the month holding the winter solstice is the eleventh; in a
year of thirteen months the first month without a major solar term is the leap month), but the
days are counted in Vietnam's time zone, UTC+7, not China's UTC+8. When a new moon falls between
midnight in Hanoi and midnight in Beijing the two calendars differ by a day or a whole month:
Tết 1985 fell on 21 January in Vietnam and 20 February in China. A Chinese-calendar library is
therefore wrong for Vietnam.

New moons and the sun's longitude follow the low-precision formulas of Jean Meeus,
*Astronomical Algorithms*, as used by Hồ Ngọc Đức's published Vietnamese calendar.
"""

import datetime
import math
from dataclasses import dataclass
from functools import cache

VIETNAM_UTC_OFFSET = 7.0
SYNODIC_MONTH = 29.530588853
NEW_MOON_EPOCH = 2415021.076998695
JULIAN_DAY_OF_ORDINAL_ZERO = 1721425


@dataclass(frozen=True, order=True)
class LunarDate:
    """A day of the lunisolar calendar; ``leap`` marks the intercalary repeat of a month."""

    year: int
    month: int
    day: int
    leap: bool = False


def julian_day(day: datetime.date) -> int:
    """Julian day number of a (proleptic Gregorian) date."""
    return day.toordinal() + JULIAN_DAY_OF_ORDINAL_ZERO


def from_julian_day(number: int) -> datetime.date:
    """The date of a Julian day number."""
    return datetime.date.fromordinal(number - JULIAN_DAY_OF_ORDINAL_ZERO)


def new_moon(k: int) -> float:
    """Julian date (UTC) of the ``k``-th new moon after the one of 1 January 1900."""
    t = k / 1236.85
    t2, t3 = t * t, t * t * t
    dr = math.pi / 180
    jd = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3
    c1 = (0.1734 - 0.000393 * t) * math.sin(m * dr) + 0.0021 * math.sin(2 * dr * m)
    c1 += -0.4068 * math.sin(mpr * dr) + 0.0161 * math.sin(dr * 2 * mpr)
    c1 += -0.0004 * math.sin(dr * 3 * mpr)
    c1 += 0.0104 * math.sin(dr * 2 * f) - 0.0051 * math.sin(dr * (m + mpr))
    c1 += -0.0074 * math.sin(dr * (m - mpr)) + 0.0004 * math.sin(dr * (2 * f + m))
    c1 += -0.0004 * math.sin(dr * (2 * f - m)) - 0.0006 * math.sin(dr * (2 * f + mpr))
    c1 += 0.0010 * math.sin(dr * (2 * f - mpr)) + 0.0005 * math.sin(dr * (2 * mpr + m))
    if t < -11:
        delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    return jd + c1 - delta_t


def sun_longitude(jd: float) -> float:
    """The sun's apparent longitude in radians, in [0, 2π), at Julian date ``jd`` (UTC)."""
    t = (jd - 2451545.0) / 36525
    t2 = t * t
    dr = math.pi / 180
    m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(dr * m)
    dl += (0.019993 - 0.000101 * t) * math.sin(dr * 2 * m) + 0.000290 * math.sin(dr * 3 * m)
    longitude = (l0 + dl) * dr
    return longitude - 2 * math.pi * math.floor(longitude / (2 * math.pi))


def new_moon_day(k: int, utc_offset: float) -> int:
    """Julian day number, in the given time zone, of the ``k``-th new moon."""
    return math.floor(new_moon(k) + 0.5 + utc_offset / 24)


def solar_term_sector(day_number: int, utc_offset: float) -> int:
    """Which of the twelve 30° sectors the sun is in at the start of a local day (0–11)."""
    return math.floor(sun_longitude(day_number - 0.5 - utc_offset / 24) / math.pi * 6)


@cache
def month_eleven_start(year: int, utc_offset: float) -> int:
    """Julian day number of the first day of the eleventh month (holding the winter solstice)."""
    offset = julian_day(datetime.date(year, 12, 31)) - 2415021
    k = math.floor(offset / SYNODIC_MONTH)
    start = new_moon_day(k, utc_offset)
    if solar_term_sector(start, utc_offset) >= 9:
        start = new_moon_day(k - 1, utc_offset)
    return start


def leap_month_offset(month_eleven: int, utc_offset: float) -> int:
    """How many months after month eleven the leap month comes, in a thirteen-month year."""
    k = math.floor((month_eleven - NEW_MOON_EPOCH) / SYNODIC_MONTH + 0.5)
    index = 1
    sector = solar_term_sector(new_moon_day(k + index, utc_offset), utc_offset)
    while True:
        previous = sector
        index += 1
        sector = solar_term_sector(new_moon_day(k + index, utc_offset), utc_offset)
        if sector == previous or index >= 14:
            return index - 1


def solar_to_lunar(day: datetime.date, utc_offset: float = VIETNAM_UTC_OFFSET) -> LunarDate:
    """The lunar date of a Gregorian date."""
    day_number = julian_day(day)
    k = math.floor((day_number - NEW_MOON_EPOCH) / SYNODIC_MONTH)
    while new_moon_day(k, utc_offset) > day_number:
        k -= 1
    while new_moon_day(k + 1, utc_offset) <= day_number:
        k += 1
    month_start = new_moon_day(k, utc_offset)
    a11 = month_eleven_start(day.year, utc_offset)
    b11 = a11
    if a11 >= month_start:
        lunar_year = day.year
        a11 = month_eleven_start(day.year - 1, utc_offset)
    else:
        lunar_year = day.year + 1
        b11 = month_eleven_start(day.year + 1, utc_offset)
    lunar_day = day_number - month_start + 1
    months_since_eleven = math.floor((month_start - a11) / 29)
    leap = False
    lunar_month = months_since_eleven + 11
    if b11 - a11 > 365:
        leap_offset = leap_month_offset(a11, utc_offset)
        if months_since_eleven >= leap_offset:
            lunar_month = months_since_eleven + 10
            leap = months_since_eleven == leap_offset
    if lunar_month > 12:
        lunar_month -= 12
    if lunar_month >= 11 and months_since_eleven < 4:
        lunar_year -= 1
    return LunarDate(lunar_year, lunar_month, lunar_day, leap)


def lunar_to_solar(
    year: int, month: int, day: int, leap: bool = False, utc_offset: float = VIETNAM_UTC_OFFSET
) -> datetime.date:
    """The Gregorian date of a lunar date; ``ValueError`` if that lunar day does not exist."""
    if not 1 <= month <= 12 or not 1 <= day <= 30:
        raise ValueError(f"no lunar date {day}/{month}")
    if month < 11:
        a11 = month_eleven_start(year - 1, utc_offset)
        b11 = month_eleven_start(year, utc_offset)
    else:
        a11 = month_eleven_start(year, utc_offset)
        b11 = month_eleven_start(year + 1, utc_offset)
    k = math.floor(0.5 + (a11 - NEW_MOON_EPOCH) / SYNODIC_MONTH)
    offset = (month - 11) % 12
    if b11 - a11 > 365:
        leap_offset = leap_month_offset(a11, utc_offset)
        leap_month = (leap_offset - 2) % 12
        if leap and month != leap_month:
            raise ValueError(f"{year} has no leap month {month}")
        if leap or offset >= leap_offset:
            offset += 1
    elif leap:
        raise ValueError(f"{year} has no leap month")
    month_start = new_moon_day(k + offset, utc_offset)
    if day == 30 and new_moon_day(k + offset + 1, utc_offset) - month_start < 30:
        raise ValueError(f"month {month} of {year} has 29 days")
    return from_julian_day(month_start + day - 1)


def leap_month(year: int, utc_offset: float = VIETNAM_UTC_OFFSET) -> int | None:
    """The month that is repeated in lunar ``year``, or ``None`` in a twelve-month year."""
    for month in range(1, 13):
        try:
            lunar_to_solar(year, month, 1, leap=True, utc_offset=utc_offset)
        except ValueError:
            continue
        return month
    return None


def tet(year: int, utc_offset: float = VIETNAM_UTC_OFFSET) -> datetime.date:
    """The first day of the lunar year that starts in Gregorian ``year``."""
    return lunar_to_solar(year, 1, 1, utc_offset=utc_offset)
