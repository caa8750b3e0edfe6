"""The archive's public pages: browsing, record pages, the home page block, feed and sitemap."""

import datetime
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.html import escape

from heritage.display import format_span
from heritage.festival_dates import DateRule
from heritage.labels import LABEL_EXPLANATIONS, ContentWarning, LocalContextsLabel
from heritage.models import (
    CommunityNarrative,
    EthnicGroup,
    HeritageKind,
    HeritageRecord,
    Place,
    RecordLabel,
    RecordMedia,
    RecordSource,
)
from heritage.protocols import CulturalProtocol
from heritage.signal_handlers import CULTURAL_OFFICERS
from heritage.sitemap import RecordSitemap
from media.models import ProcessingStatus
from tests import sitemaps
from tests.heritage.factories import (
    CommunityGroupFactory,
    CommunityNarrativeFactory,
    HeritageRecordFactory,
    RecordImageFactory,
    stored_recording,
)
from tests.heritage.matrix import MATRIX, PROTOCOLS

NOTICE_VI = "Trang này chưa được dịch sang"


@pytest.fixture
def tet(archive):
    """A lunar new-year festival of the Tày in former Hà Giang, translated into English."""
    record = HeritageRecordFactory(
        title="Tết Nguyên đán của người Tày",
        title_en="Tày Lunar New Year",
        slug="tet-nguyen-dan-tay",
        summary="Ba ngày đầu năm mới âm lịch.",
        summary_en="The first three days of the lunar year.",
        description="Đoạn thứ nhất.\n\nĐoạn thứ hai.",
        description_en="First paragraph.\n\nSecond paragraph.",
        date_rule=DateRule.LUNAR,
        date_month=1,
        date_day=1,
        duration_days=3,
        practitioners="Bà Hoàng Thị Mai\nÔng Nông Văn Dũng",
        recorded_by="Lò Thị Hoa",
        recorded_on=datetime.date(2024, 2, 10),
        consent_obtained=True,
        consent_given_by="Trưởng bản Nà Hẩu",
        rights_holder="Cộng đồng bản Nà Hẩu",
    )
    record.ethnic_groups.add(EthnicGroup.objects.get(code="02"))
    record.places.add(Place.objects.get(name="Hà Giang", valid_until__isnull=False))
    return record


def page_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def json_ld(body):
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    return json.loads(found.group(1))


@pytest.mark.parametrize(
    ("url", "code"),
    [("/vi/di-san/", "vi"), ("/en/heritage/", "en"), ("/km/di-san/", "km")],
)
def test_the_archive_opens_in_each_language(client, tet, url, code):
    body = page_of(client, url)
    assert f'<html lang="{code}"' in body
    assert "tet-nguyen-dan-tay/" in body


def test_an_untranslated_archive_page_is_shown_in_vietnamese_with_the_notice(client, tet):
    body = page_of(client, "/km/di-san/")
    assert NOTICE_VI in body
    assert '<section class="intro" lang="vi">' in body
    assert f'lang="vi">{tet.title_vi}</a>' in body


def test_a_record_page_shows_everything_a_reader_needs(client, tet):
    CommunityNarrativeFactory(record=tet, text="Bà con gói bánh chưng từ hôm trước.", language="vi")
    RecordLabel.objects.create(
        record=tet, label=LocalContextsLabel.TK_COMMUNITY_VOICE, explanation="Hãy hỏi bản Nà Hẩu."
    )
    RecordLabel.objects.create(record=tet, label=LocalContextsLabel.TK_ATTRIBUTION)
    RecordSource.objects.create(
        record=tet, citation="Sách Văn hóa Tày, 2010", url="https://example.org/sach"
    )
    body = page_of(client, "/vi/di-san/tet-nguyen-dan-tay/")
    assert "<h1>Tết Nguyên đán của người Tày</h1>" in body
    assert "<p>Đoạn thứ nhất.</p>" in body and "<p>Đoạn thứ hai.</p>" in body
    assert "Tày" in body
    assert "Hà Giang" in body and "Tuyên Quang" in body
    assert "Bà Hoàng Thị Mai" in body
    year = timezone.localdate().year
    for start, end in tet.occurrences(year) + tet.occurrences(year + 1):
        assert format_span(start, end) in body
    assert "Bà con gói bánh chưng" in body and "Già làng Lò Văn Pọm" in body
    assert "Hãy hỏi bản Nà Hẩu." in body
    assert escape(str(LABEL_EXPLANATIONS[LocalContextsLabel.TK_ATTRIBUTION])) in body
    assert 'href="https://example.org/sach"' in body
    assert "Trưởng bản Nà Hẩu" in body
    assert 'href="http://rightsstatements.org/vocab/CNE/1.0/" rel="license"' in body
    assert "“Tết Nguyên đán của người Tày”. Bản Làng" in body
    assert "http://testserver/vi/di-san/tet-nguyen-dan-tay/" in body


def test_a_record_describes_itself_with_schema_org(client, tet):
    body = page_of(client, "/en/heritage/tet-nguyen-dan-tay/")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    data, event = (json.loads(block) for block in blocks)
    assert data["@type"] == "CreativeWork"
    assert data["name"] == "Tày Lunar New Year"
    assert data["inLanguage"] == "en"
    assert data["license"] == tet.rights_statement
    assert data["contentLocation"][0]["name"].startswith("Hà Giang")
    assert data["about"] == {"@id": event["@id"]}
    assert event["@type"] == "Event"
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert event["location"][0]["address"]["addressRegion"] == "Tuyên Quang"
    today = timezone.localdate()
    upcoming = [
        span
        for year in (today.year, today.year + 1)
        for span in tet.occurrences(year)
        if span[1] >= today
    ]
    assert (event["startDate"], event["endDate"]) == tuple(day.isoformat() for day in upcoming[0])


def test_an_untranslated_record_is_shown_in_vietnamese_marked_as_such(client, tet):
    body = page_of(client, "/km/di-san/tet-nguyen-dan-tay/")
    assert '<html lang="km"' in body
    assert NOTICE_VI in body
    assert '<h1 lang="vi">Tết Nguyên đán của người Tày</h1>' in body
    assert json_ld(body)["inLanguage"] == "vi"


def test_a_translated_record_needs_no_notice(client, tet):
    body = page_of(client, "/en/heritage/tet-nguyen-dan-tay/")
    assert NOTICE_VI not in body and "not yet translated" not in body
    assert "<h1>Tày Lunar New Year</h1>" in body
    assert "<p>First paragraph.</p>" in body


def test_the_language_switcher_stays_on_the_record(client, tet):
    body = page_of(client, "/vi/di-san/tet-nguyen-dan-tay/")
    assert 'href="/en/heritage/tet-nguyen-dan-tay/" hreflang="en"' in body
    assert 'href="/km/di-san/tet-nguyen-dan-tay/" hreflang="km"' in body
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', body))
    assert alternates == {
        "vi": "http://testserver/vi/di-san/tet-nguyen-dan-tay/",
        "en": "http://testserver/en/heritage/tet-nguyen-dan-tay/",
        "x-default": "http://testserver/vi/di-san/tet-nguyen-dan-tay/",
    }


def test_unknown_slugs_and_drafts_are_not_found(client, tet):
    assert client.get("/vi/di-san/khong-co/").status_code == 404
    draft = HeritageRecordFactory(title="Bản nháp chưa duyệt", slug="ban-nhap", live=False)
    response = client.get("/vi/di-san/ban-nhap/")
    assert response.status_code == 404
    assert draft.title.encode() not in response.content
    for url in ("/vi/di-san/", "/vi/di-san/feed.xml", "/sitemap.xml"):
        assert draft.title.encode() not in client.get(url).content


def test_content_warnings_hold_the_media_behind_a_click(client, tet):
    tet.content_warnings = [ContentWarning.DECEASED]
    tet.content_warning_note = "Có hình ảnh người đã khuất."
    tet.save()
    RecordImageFactory(record=tet)
    body = page_of(client, "/vi/di-san/tet-nguyen-dan-tay/")
    opened = body.index('<details class="content-warning">')
    gallery = body[opened : body.index("</details>", opened)]
    assert "<img" in gallery and "Múa xòe trước nhà văn hóa" in gallery
    assert "<img" not in body[:opened]
    warning = body[body.index('<p class="notice" role="note"><strong>') : opened]
    assert "Có hình ảnh người đã khuất." in warning
    assert str(ContentWarning.DECEASED.label) in warning


def test_photos_show_a_small_rendition_with_caption_and_credit(client, tet):
    RecordImageFactory(record=tet)
    body = page_of(client, "/vi/di-san/tet-nguyen-dan-tay/")
    image = re.search(r'<img [^>]*src="([^"]+)"', body)
    assert ".width-360." in image.group(1)
    assert "Múa xòe trước nhà văn hóa" in body and "Ảnh: Quàng Thị Hoa" in body


def test_only_ready_recordings_get_a_player(client, tet):
    ready, processing = ProcessingStatus.READY, ProcessingStatus.PROCESSING
    RecordMedia.objects.create(record=tet, media=stored_recording(status=ready), caption="Sẵn")
    RecordMedia.objects.create(
        record=tet, media=stored_recording(status=processing), caption="Đang xử lý"
    )
    body = page_of(client, "/vi/di-san/tet-nguyen-dan-tay/")
    assert body.count("<audio") == 1
    assert "Sẵn" in body and "Đang xử lý" not in body


@pytest.fixture
def officer(db):
    user = get_user_model().objects.create_user("canbo", password="pw")
    user.groups.add(Group.objects.get(name=CULTURAL_OFFICERS))
    return user


def test_only_officers_get_the_consent_document(client, tet, officer):
    tet.consent_document.save("dong-y.pdf", ContentFile(b"%PDF-1.4"), save=True)
    link = tet.consent_document.url
    assert link not in page_of(client, "/vi/di-san/tet-nguyen-dan-tay/")
    client.force_login(officer)
    response = client.get("/vi/di-san/tet-nguyen-dan-tay/")
    assert link in response.content.decode()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("who", list(MATRIX))
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_record_pages_follow_the_protocols(client, archive, world, who, protocol):
    people, records = world
    if who != "anonymous":
        client.force_login(people[who])
    record = records[protocol]
    response = client.get(f"/vi/di-san/{record.slug}/")
    if protocol in MATRIX[who]:
        assert response.status_code == 200
        assert record.title in response.content.decode()
        if protocol != "public":
            assert "private" in response["Cache-Control"]
            assert "no-store" in response["Cache-Control"]
    else:
        assert response.status_code == 404
        assert record.title.encode() not in response.content


@pytest.mark.parametrize("who", list(MATRIX))
def test_listing_and_counts_hold_only_what_the_reader_may_see(client, archive, world, who):
    people, records = world
    if who != "anonymous":
        client.force_login(people[who])
    body = page_of(client, "/vi/di-san/")
    for protocol, record in records.items():
        assert (record.title in body) is (protocol in MATRIX[who])
    visible = len(MATRIX[who])
    assert f'<a href="?kind=festival">Lễ hội</a> ({visible})' in body
    assert re.search(rf"<p class=\"meta\">{visible} ", body)


def test_a_narrative_or_photo_under_a_narrower_protocol_is_left_out(client, archive, world):
    people, records = world
    village = CommunityGroupFactory()
    village.members.add(people["member"])
    record = records["public"]
    record.communities.add(village)
    CommunityNarrativeFactory(
        record=record,
        text="Lời khấn chỉ người trong bản được nghe.",
        community=village,
        protocol=CulturalProtocol.COMMUNITY,
    )
    url = f"/vi/di-san/{record.slug}/"
    anonymous = client.get(url)
    assert "Lời khấn" not in anonymous.content.decode()
    assert "no-store" not in anonymous.get("Cache-Control", "")
    client.force_login(people["member"])
    member = client.get(url)
    assert "Lời khấn" in member.content.decode()
    assert "no-store" in member["Cache-Control"]


def make(kind=HeritageKind.FESTIVAL, **fields):
    return HeritageRecordFactory(kind=kind, **fields)


def test_filters_narrow_the_list_and_facets_count_within_the_others(client, archive, tet):
    craft = make(HeritageKind.CRAFT, title="Dệt thổ cẩm", slug="det-tho-cam")
    craft.ethnic_groups.add(EthnicGroup.objects.get(code="08"))
    craft.places.add(Place.objects.get(name="Lào Cai", valid_until__isnull=True))
    body = page_of(client, "/vi/di-san/?kind=craft")
    listed = body[body.index('id="browse-heading"') :]
    assert "Dệt thổ cẩm" in listed and tet.title not in listed
    assert 'href="?kind=craft&amp;ethnic_group=08">Mông</a> (1)' in body
    assert "ethnic_group=02" not in body
    assert 'href="?kind=festival">Lễ hội</a> (1)' in body
    assert 'href="?kind=craft" aria-current="true">' in body


def test_a_province_filter_finds_records_of_its_former_units(client, archive, tet):
    make(title="Chợ phiên Bắc Hà", slug="cho-phien").places.add(
        Place.objects.get(name="Lào Cai", valid_until__isnull=True)
    )
    tuyen_quang = Place.objects.get(name="Tuyên Quang", valid_until__isnull=True)
    body = page_of(client, f"/vi/di-san/?province={tuyen_quang.pk}")
    assert tet.title in body and "Chợ phiên Bắc Hà" not in body
    assert f'province={tuyen_quang.pk}" aria-current="true">Tuyên Quang</a> (1)' in body


def test_a_month_filter_finds_festivals_and_seasons_of_that_month(client, archive, tet):
    month = tet.occurrences(timezone.localdate().year)[0][0].month
    other = month % 12 + 1
    season = make(
        title="Mùa gặt lúa nương",
        slug="mua-gat",
        date_rule=DateRule.SEASON,
        season="Sau vụ gặt",
        season_start_month=month,
        season_end_month=month,
    )
    body = page_of(client, f"/vi/di-san/?month={month}")
    assert tet.title in body and season.title in body
    body = page_of(client, f"/vi/di-san/?month={other}")
    listed = body[body.index('id="browse-heading"') :]
    assert tet.title not in listed and season.title not in listed


@pytest.mark.parametrize(
    "query", ["kind=dance", "ethnic_group=99", "province=abc", "province=999999", "month=13"]
)
def test_invalid_filters_say_so_and_still_list(client, tet, query):
    response = client.get(f"/vi/di-san/?{query}")
    assert response.status_code == 400
    body = response.content.decode()
    assert 'role="alert"' in body
    assert tet.title in body


def test_pages_of_results_keep_the_filters(client, archive):
    for number in range(21):
        make(HeritageKind.CRAFT, title=f"Nghề thủ công {number}", slug=f"nghe-{number}")
    make(title="Lễ hội khác", slug="le-hoi-khac")
    body = page_of(client, "/vi/di-san/?kind=craft")
    assert 'href="?page=2&amp;kind=craft"' in body
    second = page_of(client, "/vi/di-san/?kind=craft&page=2")
    assert "Nghề thủ công" in second and "Lễ hội khác" not in second


def test_the_landing_page_costs_the_same_queries_however_many_records(client, archive):
    def queries():
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/vi/di-san/?kind=festival").status_code == 200
        return len(captured)

    for number in range(3):
        soon(number + 1, title=f"Lễ {number}", slug=f"le-{number}")
    few = queries()
    for number in range(3, 40):
        soon(number % 50 + 1, title=f"Lễ {number}", slug=f"le-{number}", kind=HeritageKind.RITUAL)
    assert queries() == few


def test_anonymous_readers_share_the_counted_facets(client, archive, tet):
    client.get("/vi/di-san/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/en/heritage/")
    assert not any("COUNT(" in query["sql"] and "GROUP BY" in query["sql"] for query in captured)
    with translation.override("vi"):
        make(title="Lễ mới thêm", slug="le-moi-them")
    assert "Lễ mới thêm" in page_of(client, "/vi/di-san/")


def test_a_record_made_restricted_leaves_the_shared_listing_at_once(client, archive, tet):
    assert tet.title in page_of(client, "/vi/di-san/?kind=festival")
    tet.protocol = CulturalProtocol.RESTRICTED
    tet.save()
    for url in ("/vi/di-san/?kind=festival", "/vi/di-san/"):
        body = page_of(client, url)
        assert tet.title not in body
        assert "(1)" not in body


def test_the_shared_filters_are_kept_per_language(client, archive, tet):
    assert "Dân tộc" in page_of(client, "/vi/di-san/")
    english = page_of(client, "/en/heritage/")
    assert "Ethnic group" in english and "Dân tộc" not in english


def soon(days, **fields):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return make(date_rule=DateRule.GREGORIAN, date_month=day.month, date_day=day.day, **fields)


def test_coming_festivals_appear_on_the_archive_and_home_pages(
    client, archive, django_assert_max_num_queries
):
    near = soon(10, title="Lễ cơm mới", slug="le-com-moi")
    far = soon(300, title="Lễ xuống đồng", slug="le-xuong-dong")
    hidden = soon(
        5, title="Lễ cúng rừng kín", slug="le-cung-rung", protocol=CulturalProtocol.RESTRICTED
    )
    landing = page_of(client, "/vi/di-san/")
    section = landing[
        landing.index('id="festivals-heading"') : landing.index('id="browse-heading"')
    ]
    assert near.title in section and far.title in section and hidden.title not in section
    assert section.index(near.title) < section.index(far.title)
    client.get("/vi/")
    with django_assert_max_num_queries(20):
        home = page_of(client, "/vi/")
    assert 'href="/vi/di-san/le-com-moi/"' in home
    assert home.index(near.title) < home.index(far.title) and hidden.title not in home


def test_the_home_page_has_no_festivals_without_an_archive_page(client, home):
    soon(3, title="Lễ cơm mới", slug="le-com-moi")
    assert "Lễ cơm mới" not in page_of(client, "/vi/")


def test_the_feed_lists_public_records_in_the_readers_language(client, archive, world, tet):
    _people, records = world
    channel = ET.fromstring(client.get("/en/heritage/feed.xml").content).find("channel")
    assert channel.findtext("language") == "en"
    titles = [item.findtext("title") for item in channel.iter("item")]
    assert "Tày Lunar New Year" in titles and records["public"].title in titles
    for protocol in ("community", "restricted", "secret"):
        assert records[protocol].title not in titles
    links = [item.findtext("link") for item in channel.iter("item")]
    assert "http://testserver/en/heritage/tet-nguyen-dan-tay/" in links


def test_the_sitemap_lists_public_records_in_their_languages(client, archive, world, tet):
    _people, records = world
    locations = sitemaps.locations(client)
    assert "http://testserver/vi/di-san/tet-nguyen-dan-tay/" in locations
    assert "http://testserver/en/heritage/tet-nguyen-dan-tay/" in locations
    assert "http://testserver/km/di-san/tet-nguyen-dan-tay/" not in locations
    assert f"http://testserver/vi/di-san/{records['public'].slug}/" in locations
    for protocol in ("community", "restricted", "secret"):
        assert not any(records[protocol].slug in location for location in locations)


def test_the_admin_preview_shows_the_record_as_readers_will(tet):
    body = tet.make_preview_request().render().content.decode()
    assert "<p>Đoạn thứ nhất.</p>" in body and "Tuyên Quang" in body


def test_a_new_record_can_be_previewed_before_it_is_saved(db):
    record = HeritageRecord(title="Lễ mới", slug="le-moi", kind=HeritageKind.FESTIVAL)
    record.narratives.add(CommunityNarrative(text="Chưa lưu.", contributor="Ông Pọm"))
    body = record.make_preview_request().render().content.decode()
    assert "<h1>Lễ mới</h1>" in body and "Chưa lưu." in body


def test_a_recording_offers_one_download_link(client, tet):
    recording = stored_recording()
    RecordMedia.objects.create(record=tet, media=recording, caption="Bài hát đón xuân")
    body = page_of(client, "/vi/di-san/tet-nguyen-dan-tay/")
    links = re.findall(r'<a href="([^"]+)" download>', body)
    assert len(links) == 1
    assert links[0].startswith("/media/")
    assert body.count("<audio") == 1


def test_the_records_of_the_sitemap_come_in_files_of_bounded_size(client, archive, monkeypatch):
    monkeypatch.setattr(RecordSitemap, "limit", 3)
    HeritageRecord.objects.bulk_create(
        HeritageRecord(title=f"Lễ số {n}", slug=f"le-so-{n}", kind="festival", live=True)
        for n in range(7)
    )
    hidden = HeritageRecordFactory(slug="kin", protocol=CulturalProtocol.RESTRICTED)
    listed = sitemaps.files(client)
    assert listed == [
        "/sitemap-pages.xml",
        "/sitemap-records.xml",
        "/sitemap-records.xml?p=2",
        "/sitemap-records.xml?p=3",
    ]
    per_file = [
        len(ET.fromstring(client.get(path).content).findall("s:url", sitemaps.NS))
        for path in listed[1:]
    ]
    assert per_file == [3, 3, 1]  # Vietnamese only: one address per record
    locations = sitemaps.locations(client)
    assert {f"http://testserver/vi/di-san/le-so-{n}/" for n in range(7)} <= locations
    assert not any(hidden.slug in location for location in locations)
    for path in ("/sitemap-records.xml?p=4", "/sitemap-records.xml?p=x", "/sitemap-nope.xml"):
        assert client.get(path).status_code == 404, path
