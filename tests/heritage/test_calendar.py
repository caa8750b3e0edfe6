"""Festival calendars: the month table with lunar days, iCalendar files, and the date helpers."""

import datetime
import re

import icalendar
import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count
from django.utils import timezone

from heritage import browse, ical
from heritage.festival_dates import (
    KEY_FIELDS,
    RULE_FIELDS,
    DateRule,
    festival_months,
    key_rule,
    occurrences_between,
    rule_key,
    season_months,
)
from heritage.ical import calendar_window
from heritage.models import EthnicGroup, HeritageRecord, Place
from heritage.protocols import CulturalProtocol
from tests.heritage.factories import HeritageRecordFactory
from tests.heritage.matrix import MATRIX


def lunar(month, day, **fields):
    return HeritageRecordFactory(date_rule=DateRule.LUNAR, date_month=month, date_day=day, **fields)


@pytest.fixture
def tet(archive):
    record = lunar(1, 1, title="Tết Nguyên đán", title_en="Lunar New Year", slug="tet")
    record.ethnic_groups.add(EthnicGroup.objects.get(code="02"))
    record.places.add(Place.objects.get(name="Hà Giang", valid_until__isnull=False))
    return record


def cell(body, day):
    """The table cell of a day of the month."""
    found = re.search(rf'<td><time datetime="{day}">.*?</td>', body)
    return found.group(0) if found else ""


def test_tet_2026_is_on_17_february_with_its_lunar_date(client, tet):
    response = client.get("/vi/di-san/calendar/2026/2/")
    assert response.status_code == 200
    body = response.content.decode()
    tet_day = cell(body, "2026-02-17")
    assert '<small class="lunar">1/1</small>' in tet_day
    assert 'href="/vi/di-san/tet/">Tết Nguyên đán</a>' in tet_day
    assert "Tết Nguyên đán" not in cell(body, "2026-02-16")
    assert '<small class="lunar">29</small>' in cell(body, "2026-02-16")
    assert '<small class="lunar">2</small>' in cell(body, "2026-02-18")


def test_weeks_start_on_monday_and_months_link_to_their_neighbours(client, tet):
    body = client.get("/en/heritage/calendar/2026/2/").content.decode()
    headers = re.findall(r'<th scope="col"><abbr title="([^"]+)">', body)
    assert headers == [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]
    first_week = body[body.index("<tbody><tr>") : body.index("</tr>", body.index("<tbody>"))]
    assert first_week.count("<td></td>") == 6
    assert 'href="/en/heritage/calendar/2026/1/"' in body
    assert 'href="/en/heritage/calendar/2026/3/"' in body


def test_festivals_with_only_a_season_are_listed_below_the_table(client, archive):
    HeritageRecordFactory(
        title="Mùa hát giao duyên",
        slug="mua-hat",
        date_rule=DateRule.SEASON,
        season="Sau Tết",
        season_start_month=12,
        season_end_month=3,
    )
    february = client.get("/vi/di-san/calendar/2026/2/").content.decode()
    assert "Mùa hát giao duyên" in february[february.index("</table>") :]
    assert "Mùa hát giao duyên" not in client.get("/vi/di-san/calendar/2026/6/").content.decode()


@pytest.mark.parametrize("path", ["1899/12", "2101/1", "2026/13", "2026/0"])
def test_months_outside_the_calendar_are_not_found(client, archive, path):
    assert client.get(f"/vi/di-san/calendar/{path}/").status_code == 404


def test_the_calendar_link_opens_this_month(client, archive):
    today = timezone.localdate()
    body = client.get("/vi/di-san/calendar/").content.decode()
    assert f'<time datetime="{today.replace(day=1).isoformat()}">1</time>' in body


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def expected_starts(record):
    first, last = calendar_window(timezone.localdate())
    return sorted(
        start
        for year in range(first.year - 1, last.year + 1)
        for start, end in record.occurrences(year)
        if start <= last and end >= first
    )


def test_a_calendar_with_more_events_than_a_file_holds_comes_in_files_of_whole_days(
    client, archive, monkeypatch
):
    monkeypatch.setattr(ical, "MOST_EVENTS", 5)
    soon = timezone.localdate() + datetime.timedelta(days=20)
    days = [soon + datetime.timedelta(days=offset) for offset in (0, 1, 1, 2, 3, 3, 3, 5, 8, 9)]
    for number, day in enumerate(days):
        HeritageRecordFactory(
            title=f"Hội {number}",
            slug=f"hoi-{number}",
            date_rule=DateRule.GREGORIAN,
            date_month=day.month,
            date_day=day.day,
        )
    url, files = "/vi/di-san/calendar.ics", []
    while url:
        response = client.get(url)
        files.append(sorted(event.decoded("DTSTART") for event in parse(response).walk("VEVENT")))
        link = response.get("Link", "")
        url = link[link.index("/vi/") : link.index(">")] if link else ""
    # At most five a file, cut between days: the fifth and sixth events share a day.
    assert [len(starts) for starts in files] == [4, 5, 1]
    assert [start for starts in files for start in starts] == days
    assert files[0][-1] < files[1][0] and files[1][-1] < files[2][0]
    for wrong in ("x", "2026-13-01", (soon - datetime.timedelta(days=900)).isoformat()):
        assert client.get(f"/vi/di-san/calendar.ics?from={wrong}").status_code == 404, wrong


def test_the_ical_file_has_one_all_day_event_per_occurrence(client, tet):
    calendar = parse(client.get("/en/heritage/calendar.ics"))
    assert calendar["VERSION"] == "2.0"
    events = calendar.walk("VEVENT")
    starts = expected_starts(tet)
    assert sorted(event.decoded("DTSTART") for event in events) == starts
    event = events[0]
    start = event.decoded("DTSTART")
    assert isinstance(start, datetime.date) and not isinstance(start, datetime.datetime)
    assert event.decoded("DTEND") == start + datetime.timedelta(days=1)
    assert str(event["SUMMARY"]) == "Lunar New Year"
    assert str(event["URL"]) == "http://testserver/en/heritage/tet/"
    assert str(event["UID"]) == f"heritage-{tet.pk}-{start:%Y%m%d}@testserver"
    assert event.decoded("DTSTAMP") == tet.updated_at.replace(microsecond=0)


def test_ical_text_is_escaped_and_lines_folded(client, archive):
    lunar(1, 1, title="Lễ; cúng, bản\\làng " + "rất dài " * 20, slug="le-dai")
    response = client.get("/vi/di-san/calendar.ics")
    assert all(len(line) <= 75 for line in response.content.split(b"\r\n"))
    [event] = parse(response).walk("VEVENT")[:1]
    assert str(event["SUMMARY"]).startswith("Lễ; cúng, bản\\làng rất dài")
    assert b"SUMMARY:L\xe1\xbb\x85\\; c\xc3\xbang\\, b\xe1\xba\xa3n\\\\l" in response.content


def test_province_and_ethnic_group_calendars_hold_their_festivals(client, tet):
    other = lunar(5, 5, title="Tết Đoan Ngọ", slug="doan-ngo")
    other.places.add(Place.objects.get(name="Lào Cai", valid_until__isnull=True))
    tuyen_quang = Place.objects.get(name="Tuyên Quang", valid_until__isnull=True)
    urls = {
        f"/vi/di-san/calendar/province/{tuyen_quang.pk}.ics": "Tết Nguyên đán",
        "/vi/di-san/calendar/ethnic-group/02.ics": "Tết Nguyên đán",
    }
    for url, title in urls.items():
        summaries = {str(event["SUMMARY"]) for event in parse(client.get(url)).walk("VEVENT")}
        assert summaries == {title}, url
    assert client.get("/vi/di-san/calendar/province/999999.ics").status_code == 404
    assert client.get("/vi/di-san/calendar/ethnic-group/99.ics").status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "member", "officer", "custodian"])
def test_calendars_hold_only_the_festivals_the_requester_may_see(client, archive, world, who):
    people, records = world
    for record in records.values():
        record.date_rule, record.date_month, record.date_day = DateRule.LUNAR, 1, 1
        record.save()
    if who != "anonymous":
        client.force_login(people[who])
    visible = {records[protocol].title for protocol in MATRIX[who]}
    ics = client.get("/vi/di-san/calendar.ics")
    assert {str(event["SUMMARY"]) for event in parse(ics).walk("VEVENT")} == visible
    month = client.get("/vi/di-san/calendar/2026/2/")
    for record in records.values():
        assert (record.title in month.content.decode()) is (record.title in visible)
        assert record.title.encode() in ics.content or record.title not in visible
    if who != "anonymous":
        assert "no-store" in ics["Cache-Control"] and "no-store" in month["Cache-Control"]


def test_the_first_coming_festivals_are_those_occurrences_between_finds_first(db):
    today = datetime.date(2026, 1, 10)
    for number in range(30):
        lunar(number % 12 + 1, number % 28 + 1, title=f"Lễ {number:02d}", slug=f"le-{number}")
    records = HeritageRecord.objects.published().visible_to(AnonymousUser())
    end = today + datetime.timedelta(days=60)
    expected = occurrences_between(records, today, end)
    for limit in (1, 3, 5, 50):
        assert browse.upcoming(records, today, end, limit) == expected[:limit]


def test_a_year_of_more_than_a_thousand_distinct_rules_is_one_query(db):
    HeritageRecord.objects.bulk_create(
        HeritageRecord(
            title=f"Lễ {month}-{day}-{days}",
            slug=f"le-{month}-{day}-{days}",
            kind="festival",
            live=True,
            date_rule=DateRule.LUNAR,
            date_month=month,
            date_day=day,
            duration_days=days,
        )
        for month in range(1, 13)
        for day in range(1, 31)
        for days in range(1, 4)
    )
    first, last = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    found = occurrences_between(HeritageRecord.objects.all(), first, last)
    assert len({occurrence.record.pk for occurrence in found}) == 12 * 30 * 3
    assert all(occurrence.end >= first and occurrence.start <= last for occurrence in found)


def test_a_festivals_date_key_names_its_rule_and_nothing_else_does():
    for rule in [(DateRule.LUNAR, 1, 15, False, 3), (DateRule.LUNAR, 4, 30, True, 1),
                 (DateRule.GREGORIAN, 12, 31, False, 2)]:  # fmt: skip
        assert key_rule(rule_key((*rule, None, None))) == rule
    assert rule_key((DateRule.LUNAR, 1, 15, False, 3, None, None)) == "lunar-1-15-0-3"
    for key in [
        "season-11-2",
        "",
        "lunar-1-15-0",
        "lunar-1-15-x-3",
        "none-1-1-0-1",
        "lunar-1-1-0-99999",
    ]:
        assert key_rule(key) is None


def test_festival_rules_counted_from_date_keys_are_those_counted_from_the_dates(db):
    for number in range(40):  # 20 rules twice, but the 8th record is in the leap month
        lunar(number % 4 + 1, number % 5 + 1, title=f"Lễ {number}", slug=f"le-{number}",
              date_leap_month=number == 7)  # fmt: skip
    HeritageRecordFactory(date_rule=DateRule.SEASON, season_start_month=11, season_end_month=2)
    HeritageRecordFactory(date_rule=DateRule.NONE)
    records = HeritageRecord.objects.all()
    dated = records.filter(date_rule__in=[DateRule.LUNAR, DateRule.GREGORIAN]).order_by()
    in_sql = {row[:-1]: row[-1] for row in dated.values_list(*RULE_FIELDS).annotate(n=Count("pk"))}
    assert len(in_sql) == 21 and sum(in_sql.values()) == 40
    assert browse.rule_counts(browse.key_counts(records)) == in_sql
    keys = {rule_key(values) for values in records.values_list(*KEY_FIELDS)}
    assert set(browse.key_counts(records)) == keys - {""} and len(keys - {""}) == 22


def test_festival_months_include_festivals_running_into_the_next_month():
    rule = (DateRule.GREGORIAN, 1, 30, False, 5)
    assert festival_months(rule, 2026) == {1, 2}
    new_year_eve = (DateRule.GREGORIAN, 12, 31, False, 2)
    assert festival_months(new_year_eve, 2026) == {1, 12}


def test_a_season_holds_the_same_months_in_python_and_in_the_database(db):
    HeritageRecord.objects.bulk_create(
        HeritageRecord(
            title=f"Mùa {start}-{end}",
            slug=f"mua-{start}-{end}",
            date_rule=DateRule.SEASON,
            season_start_month=start,
            season_end_month=end,
        )
        for start in range(1, 13)
        for end in range(1, 13)
    )
    keys = HeritageRecord.objects.date_keys()
    assert len(keys) == 144
    for month in range(1, 13):
        in_database = set(
            HeritageRecord.objects.filter(browse.in_season(keys, month, 2026)).values_list(
                "season_start_month", "season_end_month"
            )
        )
        in_python = {
            (start, end)
            for start in range(1, 13)
            for end in range(1, 13)
            if month in season_months(start, end)
        }
        assert in_database == in_python and len(in_python) > 12


def test_restricted_festivals_stay_out_of_anonymous_counts(db):
    lunar(1, 1, slug="cong-khai")
    lunar(1, 1, slug="han-che", protocol=CulturalProtocol.RESTRICTED)
    browser = browse.Browser(browse.visible_records(AnonymousUser()), browse.Filters(), 2026)
    assert browser.month_counts() == {2: 1}
    assert browser.kind_counts() == {"festival": 1}
