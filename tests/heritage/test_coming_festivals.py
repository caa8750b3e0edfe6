"""The demo's festivals and their dates: what the archive, the home page and the calendar feed
show for the next twelve months, with Django's clock stopped on the day of the audit."""

import datetime
import re

import icalendar
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from cms.demo.loader import DemoReport
from heritage.browse import visible_records
from heritage.demo.loader import load_heritage_demo
from heritage.festival_dates import DateRule
from heritage.models import HeritageKind
from heritage.protocols import CulturalProtocol
from tests.heritage.factories import HeritageRecordFactory

NOW = datetime.datetime(2026, 12, 6, 3, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 12, 6)
A_YEAR_ON = datetime.date(2027, 12, 6)

DEMO_FESTIVAL_DATES = {
    "khau-vai": (DateRule.LUNAR, 3, 27),
    "tet-ram-thang-bay": (DateRule.LUNAR, 7, 14),
    "ok-om-bok": (DateRule.LUNAR, 10, 15),
    "chol-chnam-thmay": (DateRule.GREGORIAN, 4, 14),
    # Documented only as a time of year: "each locality chooses its own day", "the first lunar
    # month", "after the upland rice harvest", and a day of the Chăm calendar.
    "long-tong": (DateRule.SEASON, None, None),
    "gau-tao": (DateRule.SEASON, None, None),
    "roong-pooc": (DateRule.SEASON, None, None),
    "mung-lua-moi": (DateRule.SEASON, None, None),
    "kate": (DateRule.SEASON, None, None),
}
COMING_FROM_TODAY = [
    ("2027-04-14", "chol-chnam-thmay"),
    ("2027-05-03", "khau-vai"),
    ("2027-08-15", "tet-ram-thang-bay"),
    ("2027-11-12", "ok-om-bok"),
]


@pytest.fixture
def today(monkeypatch):
    """Django's clock stopped at 10:00 in Vietnam on 6 December 2026."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    assert timezone.localdate() == TODAY
    return TODAY


@pytest.fixture
def demo(archive):
    """The heritage demo, loaded as ``manage.py load_demo`` loads it, under the archive page."""
    load_heritage_demo(DemoReport(), archive.get_parent())


def events(client, url="/vi/di-san/calendar.ics"):
    response = client.get(url)
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def slug_of(event) -> str:
    return str(event["URL"]).rstrip("/").rsplit("/", 1)[-1]


def in_next_twelve_months(event, today) -> bool:
    return today <= event.decoded("DTSTART") < today.replace(year=today.year + 1)


def coming(body: str, start: str, end: str) -> list[tuple[str, str]]:
    """``(start day, record slug)`` of each coming festival listed between two markers."""
    section = body[body.index(start) : body.index(end)]
    return re.findall(
        r'<time datetime="([-0-9]+)">[^<]*</time>: <a href="/vi/di-san/([-\w]+)/"', section
    )


def test_every_demo_festival_with_a_documented_day_has_its_date_rule(demo):
    festivals = visible_records(AnonymousUser()).filter(kind=HeritageKind.FESTIVAL)
    rules = {
        record.slug: (record.date_rule, record.date_month, record.date_day) for record in festivals
    }
    assert rules == DEMO_FESTIVAL_DATES
    assert all(record.season for record in festivals.filter(date_rule=DateRule.SEASON))


def test_the_feed_has_one_event_per_dated_public_festival_in_the_next_twelve_months(
    client, demo, today
):
    dated = visible_records(AnonymousUser()).filter(
        date_rule__in=[DateRule.LUNAR, DateRule.GREGORIAN]
    )
    found = events(client)
    coming_events = [event for event in found if in_next_twelve_months(event, today)]
    assert dated.count() == len(coming_events) == 4
    assert sorted(slug_of(event) for event in coming_events) == sorted(
        dated.values_list("slug", flat=True)
    )
    assert sorted((event.decoded("DTSTART").isoformat(), slug_of(event)) for event in found) == [
        ("2026-11-23", "ok-om-bok"),
        *COMING_FROM_TODAY,
    ]


def test_the_archive_and_home_list_the_coming_festivals_in_date_order(client, demo, today):
    archive = client.get("/vi/di-san/").content.decode()
    assert coming(archive, 'id="festivals-heading"', 'id="browse-heading"') == COMING_FROM_TODAY
    home = client.get("/vi/").content.decode()
    assert coming(home, 'id="festivals-heading"', 'id="news-heading"') == COMING_FROM_TODAY


def test_a_secret_festival_is_shown_to_its_custodian_only(client, archive, today):
    custodian = get_user_model().objects.create_user("custodian", password="pw")
    HeritageRecordFactory(
        title="Hội xuân của bản",
        slug="hoi-xuan",
        date_rule=DateRule.LUNAR,
        date_month=1,
        date_day=5,
    )
    secret = HeritageRecordFactory(
        title="Lễ cúng kín của dòng họ",
        slug="le-cung-kin",
        protocol=CulturalProtocol.SECRET_SACRED,
        date_rule=DateRule.LUNAR,
        date_month=2,
        date_day=1,
    )
    secret.custodians.add(custodian)
    hoi_xuan = ("2027-02-10", "hoi-xuan")
    le_cung_kin = ("2027-03-08", "le-cung-kin")

    assert sorted(slug_of(event) for event in events(client)) == ["hoi-xuan"]
    archive_page = client.get("/vi/di-san/").content.decode()
    assert coming(archive_page, 'id="festivals-heading"', 'id="browse-heading"') == [hoi_xuan]

    client.force_login(custodian)
    assert sorted(slug_of(event) for event in events(client)) == ["hoi-xuan", "le-cung-kin"]
    archive_page = client.get("/vi/di-san/").content.decode()
    assert coming(archive_page, 'id="festivals-heading"', 'id="browse-heading"') == [
        hoi_xuan,
        le_cung_kin,
    ]


def test_the_feed_holds_a_whole_year_ahead(client, archive, today):
    HeritageRecordFactory(
        title="Hội đầu tháng Chạp",
        slug="hoi-thang-chap",
        date_rule=DateRule.GREGORIAN,
        date_month=12,
        date_day=1,
    )
    HeritageRecordFactory(
        title="Hội cuối tháng Mười",
        slug="hoi-thang-muoi",
        date_rule=DateRule.GREGORIAN,
        date_month=10,
        date_day=31,
    )
    starts = sorted(event.decoded("DTSTART").isoformat() for event in events(client))
    assert starts == ["2026-12-01", "2027-10-31", "2027-12-01"]
