"""The Vietnamese lunar calendar, checked against an independent Chinese-calendar table.

``lunardate`` holds the Hong Kong Observatory's tables of the Chinese calendar (1900–2099).
Computed for UTC+8 our calendar must reproduce them; computed for UTC+7 (Vietnam) it must differ
exactly in the years where a new moon falls between midnight in Hanoi and in Beijing.
"""

import datetime

import pytest
from lunardate import LunarDate as ChineseDate

from heritage.lunar import LunarDate, leap_month, lunar_to_solar, solar_to_lunar, tet

PUBLISHED_VIETNAMESE_TET = {
    1968: datetime.date(1968, 1, 29),
    1985: datetime.date(1985, 1, 21),
    2007: datetime.date(2007, 2, 17),
    2023: datetime.date(2023, 1, 22),
    2024: datetime.date(2024, 2, 10),
    2025: datetime.date(2025, 1, 29),
    2026: datetime.date(2026, 2, 17),
}
YEARS_VIETNAM_DIFFERS_FROM_CHINA = {1903, 1935, 1965, 1968, 1969, 1985, 2007, 2030, 2053}
BEIJING_LOCAL_MEAN_TIME_YEARS = {1916}
"""Before 1929 China counted days in Beijing's local mean time (UTC+7:46), not UTC+8."""


def chinese_new_year(year: int) -> datetime.date:
    return ChineseDate(year, 1, 1).to_solar_date()


@pytest.mark.parametrize(("year", "day"), sorted(PUBLISHED_VIETNAMESE_TET.items()))
def test_tet_matches_published_dates(year, day):
    assert tet(year) == day


def test_at_utc_plus_8_the_computation_reproduces_the_chinese_tables_1900_2099():
    mismatched = {
        year for year in range(1900, 2100) if tet(year, utc_offset=8.0) != chinese_new_year(year)
    }
    assert mismatched == BEIJING_LOCAL_MEAN_TIME_YEARS


def test_vietnamese_tet_differs_from_chinese_new_year_only_in_the_known_years():
    differing = {year for year in range(1900, 2100) if tet(year) != chinese_new_year(year)}
    assert differing == YEARS_VIETNAM_DIFFERS_FROM_CHINA


def test_tet_1985_is_a_whole_month_before_chinese_new_year():
    assert (chinese_new_year(1985) - tet(1985)).days == 30


@pytest.mark.parametrize("year", range(1900, 2101))
def test_tet_falls_between_21_january_and_20_february(year):
    assert datetime.date(year, 1, 21) <= tet(year) <= datetime.date(year, 2, 20)


def test_every_day_1900_2100_converts_to_lunar_and_back():
    day = datetime.date(1900, 2, 1)
    while day <= datetime.date(2100, 12, 31):
        lunar = solar_to_lunar(day)
        assert lunar_to_solar(lunar.year, lunar.month, lunar.day, lunar.leap) == day, lunar
        day += datetime.timedelta(days=1)


def test_leap_months_agree_with_the_chinese_tables_in_recent_years():
    for year in range(2000, 2040):
        if year in YEARS_VIETNAM_DIFFERS_FROM_CHINA:
            continue
        chinese = next((month for month in range(1, 13) if _chinese_leap_exists(year, month)), None)
        assert leap_month(year) == chinese, year


def _chinese_leap_exists(year: int, month: int) -> bool:
    try:
        ChineseDate(year, month, 1, is_leap_month=True).to_solar_date()
    except ValueError:
        return False
    return True


def test_mid_autumn_2026_and_a_leap_month():
    assert lunar_to_solar(2026, 8, 15) == datetime.date(2026, 9, 25)
    assert leap_month(2025) == 6
    assert solar_to_lunar(datetime.date(2025, 7, 25)) == LunarDate(2025, 6, 1, leap=True)


@pytest.mark.parametrize(
    ("year", "month", "day", "leap"),
    [(2024, 13, 1, False), (2024, 4, 31, False), (2024, 4, 1, True), (2025, 5, 1, True)],
)
def test_lunar_dates_that_do_not_exist_are_refused(year, month, day, leap):
    with pytest.raises(ValueError):
        lunar_to_solar(year, month, day, leap)


def test_day_30_only_in_long_months():
    lengths = []
    for month in range(1, 13):
        try:
            lunar_to_solar(2026, month, 30)
            lengths.append(30)
        except ValueError:
            lengths.append(29)
    assert set(lengths) == {29, 30}
    assert sum(lengths) in range(353, 356)
