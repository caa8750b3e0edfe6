"""The archive's metadata: a record's schema.org Event, only on the page that may show it."""

import pytest
import wagtail_factories
from django.utils import timezone

from heritage.festival_dates import DateRule
from heritage.models import Place, RecordMedia
from tests.page_head import head_of

SECRET_TITLE = "Nghi lễ Cấp Sắc bí truyền"


@pytest.fixture
def dated(world, archive):
    """The matrix's records, each a festival on the 15th of the first lunar month, in Hà Giang."""
    _people, records = world
    place = Place.objects.get(name="Hà Giang", valid_until__isnull=False)
    for record in records.values():
        record.date_rule, record.date_month, record.date_day = DateRule.LUNAR, 1, 15
        record.save()
        record.places.add(place)
    return world


def json_ld_of(client, url):
    response = client.get(url)
    return response.status_code, head_of(response.content.decode())


def test_a_festival_record_is_an_event_with_its_next_dates_and_province(client, dated):
    _people, records = dated
    record = records["public"]
    status, head = json_ld_of(client, f"/vi/di-san/{record.slug}/")
    assert status == 200
    (work,) = head.of_type("CreativeWork")
    (event,) = head.of_type("Event")
    today = timezone.localdate()
    spans = [
        span
        for year in (today.year, today.year + 1)
        for span in record.occurrences(year)
        if span[1] >= today
    ]
    assert (event["startDate"], event["endDate"]) == tuple(day.isoformat() for day in spans[0])
    assert event["name"] == "Lễ hội Lồng Tồng" and event["inLanguage"] == "vi"
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    (place,) = event["location"]
    assert place["@type"] == "Place"
    assert place["address"] == {
        "@type": "PostalAddress",
        "addressCountry": "VN",
        "addressRegion": "Tuyên Quang",
    }
    assert work["about"] == {"@id": event["@id"]}
    assert head.titles == ["Lễ hội Lồng Tồng · Bản Làng"]
    assert head.meta["description"] == "Lễ hội đầu xuân của bản."
    assert head.meta["og:url"] == head.canonical == f"http://testserver/vi/di-san/{record.slug}/"


def test_a_record_without_dates_is_no_event(client, archive):
    from tests.heritage.factories import HeritageRecordFactory

    record = HeritageRecordFactory(slug="nghe-det")
    _status, head = json_ld_of(client, "/vi/di-san/nghe-det/")
    assert [data["@type"] for data in head.json_ld] == ["CreativeWork"]
    assert head.json_ld[0]["name"] == record.title


def test_a_secret_records_metadata_reaches_only_its_custodian(client, dated):
    people, records = dated
    url = f"/vi/di-san/{records['secret'].slug}/"
    for surface in (url, "/vi/di-san/", "/vi/di-san/calendar/", "/vi/"):
        response = client.get(surface)
        assert SECRET_TITLE not in response.content.decode(), surface
    status, head = json_ld_of(client, url)
    assert status == 404 and head.json_ld == []
    client.force_login(people["reader"])
    assert json_ld_of(client, url)[0] == 404
    client.force_login(people["custodian"])
    status, head = json_ld_of(client, url)
    assert status == 200
    assert [data["name"] for data in head.of_type("Event")] == [SECRET_TITLE]
    assert head.titles == [f"{SECRET_TITLE} · Bản Làng"]


def test_a_records_photo_is_shared_from_its_page(client, dated):
    _people, records = dated
    RecordMedia.objects.create(record=records["public"], image=wagtail_factories.ImageFactory())
    _status, head = json_ld_of(client, f"/vi/di-san/{records['public'].slug}/")
    assert head.meta["og:image"].startswith("http://testserver/")
    assert head.meta["twitter:card"] == "summary_large_image"


def test_a_calendar_month_and_a_filtered_archive_have_their_own_titles(client, dated):
    _status, month = json_ld_of(client, "/vi/di-san/calendar/2026/3/")
    assert month.titles == ["tháng 3 năm 2026 · Di sản văn hóa · Bản Làng"]
    assert month.meta["description"].startswith("Các lễ hội tháng 3 năm 2026")
    assert month.meta["og:url"] == month.canonical
    _status, filtered = json_ld_of(client, "/vi/di-san/?kind=festival")
    assert filtered.titles == ["Lễ hội · Di sản văn hóa · Bản Làng"]
    _status, landing = json_ld_of(client, "/vi/di-san/")
    assert landing.titles == ["Di sản văn hóa · Bản Làng"]
    assert landing.meta["description"].startswith("Lễ hội, phong tục và nghề truyền thống")
