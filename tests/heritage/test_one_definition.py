"""Facts about a record computed once and used alike by its page, search, the feed and the
sitemap: whether it is translated into a language, which months its festival falls in, and its
narratives in each language. English stands for any language: nothing is invented."""

import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation

from heritage import browse
from heritage.festival_dates import DateRule, record_months
from heritage.importing import import_records
from heritage.models import HeritageRecord
from search import indexing, service
from search.documents import record_documents
from search.models import counted_facets
from tests import sitemaps
from tests.heritage.factories import CommunityNarrativeFactory, HeritageRecordFactory
from tests.heritage.imports import imported
from tests.heritage.test_import import festival, write_csv

pytestmark = pytest.mark.django_db

NOTICE_EN = "This page is not yet translated"


def documents_by_language(record):
    return {document.language: document for document in record_documents([record])}


def feed_entries(client, url):
    channel = ET.fromstring(client.get(url).content).find("channel")
    return {item.findtext("link"): item for item in channel.iter("item")}


@pytest.fixture
def records(archive):
    """Two public records with an English title and summary: one with its description in
    English too, one with its description in Vietnamese only."""
    common = {"summary_en": "Three days of songs.", "description": "Ba ngày hát giao duyên."}
    whole = HeritageRecordFactory(
        title="Hội xuân",
        title_en="Spring fair",
        slug="hoi-xuan",
        **common,
        description_en="Three days of courting songs.",
    )
    partly = HeritageRecordFactory(
        title="Hội thu", title_en="Autumn fair", slug="hoi-thu", **common
    )
    return whole, partly


def test_translated_means_the_same_to_the_page_search_the_feed_and_the_sitemap(client, records):
    whole, partly = records
    pages = {
        record: client.get(f"/en/heritage/{record.slug}/").content.decode() for record in records
    }
    assert NOTICE_EN not in pages[whole] and NOTICE_EN in pages[partly]
    assert documents_by_language(whole)["en"].fallback is False
    assert documents_by_language(partly)["en"].fallback is True
    entries = feed_entries(client, "/en/heritage/feed.xml")
    whole_entry = entries["http://testserver/en/heritage/hoi-xuan/"]
    partly_entry = entries["http://testserver/en/heritage/hoi-thu/"]
    assert whole_entry.findtext("title") == "Spring fair"
    assert partly_entry.findtext("title") == "Hội thu"  # the whole entry in Vietnamese
    assert next(iter(entries)) == "http://testserver/en/heritage/hoi-xuan/"  # translated first
    locations = sitemaps.locations(client)
    assert "http://testserver/en/heritage/hoi-xuan/" in locations
    assert "http://testserver/en/heritage/hoi-thu/" not in locations


@pytest.fixture
def eve(archive):
    """A public festival of two days from 31 December."""
    return HeritageRecordFactory(
        title="Đón giao thừa",
        slug="giao-thua",
        date_rule=DateRule.GREGORIAN,
        date_month=12,
        date_day=31,
        duration_days=2,
    )


def test_a_festival_across_the_new_year_is_in_december_and_january_everywhere(eve):
    year = timezone.localdate().year
    assert record_months(eve, year) == {1, 12}  # the 1 January of the previous year's festival
    browser = browse.Browser(browse.visible_records(AnonymousUser()), browse.Filters(), year)
    assert browser.month_counts() == {1: 1, 12: 1}
    assert ("month", "gregorian-12-31-0-2") in documents_by_language(eve)["vi"].facets
    assert counted_facets([("month=gregorian-12-31-0-2", 1)], year) == {"month": {"1": 1, "12": 1}}
    indexing.rebuild()
    for month in ("1", "12"):
        assert service.search("giao thừa", "vi", AnonymousUser(), {"month": [month]}).total == 1
    assert service.search("giao thừa", "vi", AnonymousUser(), {"month": ["2"]}).total == 0


def test_a_narrative_is_searched_in_the_language_the_page_shows_it_in(client, archive):
    record = HeritageRecordFactory(title="Lễ cầu mùa", slug="cau-mua")
    CommunityNarrativeFactory(
        record=record,
        text="Già làng cúng thần lúa.",
        text_en="The village elder prays to the rice spirit.",
        language="vi",
    )
    with translation.override("km"):  # whatever language is active while indexing
        documents = documents_by_language(record)
    assert "rice spirit" in documents["en"].extra and "thần lúa" not in documents["en"].extra
    assert "thần lúa" in documents["km"].extra and "rice spirit" not in documents["km"].extra
    assert "rice spirit" in client.get("/en/heritage/cau-mua/").content.decode()
    assert "thần lúa" in client.get("/km/di-san/cau-mua/").content.decode()


def test_a_records_date_key_follows_its_dates_however_they_are_written(eve):
    year = timezone.localdate().year
    assert HeritageRecord.objects.get(pk=eve.pk).date_key == "gregorian-12-31-0-2"
    eve.date_day = 30
    eve.save(update_fields=["date_day"])
    assert HeritageRecord.objects.get(pk=eve.pk).date_key == "gregorian-12-30-0-2"
    (harvest,) = HeritageRecord.objects.bulk_create(
        [
            HeritageRecord(
                title="Mùa gặt",
                slug="mua-gat",
                live=True,
                date_rule=DateRule.SEASON,
                season="Sau mùa gặt",
                season_start_month=11,
                season_end_month=2,
            )
        ]
    )
    assert HeritageRecord.objects.get(pk=harvest.pk).date_key == "season-11-2"
    HeritageRecord.objects.filter(pk=eve.pk).update(date_month=6, date_day=1, duration_days=1)
    assert HeritageRecord.objects.filter(pk__in=[eve.pk, harvest.pk]).write_date_keys() == 1
    eve.refresh_from_db()
    assert eve.date_key == "gregorian-6-1-0-1" and record_months(eve, year) == {6}

    def archive_in(month):
        filters = browse.Filters(month=month)
        browser = browse.Browser(browse.visible_records(AnonymousUser()), filters, year)
        return set(browser.results().values_list("slug", flat=True))

    assert archive_in(6) == {"giao-thua"}
    assert archive_in(12) == archive_in(1) == {"mua-gat"}
    assert archive_in(3) == set()
    counts = browse.Browser(browse.visible_records(AnonymousUser()), browse.Filters(), year)
    assert counts.month_counts() == {6: 1, 11: 1, 12: 1, 1: 1, 2: 1}


def test_a_reimport_that_moves_a_festival_moves_its_date_key_before_publishing(tmp_path):
    first = write_csv(tmp_path, [festival(1, date_month="1", date_day="15")])
    imported(first, "records.csv")
    assert HeritageRecord.objects.get().date_key == "lunar-1-15-0-2"
    moved = write_csv(tmp_path, [festival(1, date_month="8", date_day="15")])
    import_records(moved, "records.csv")  # its publishing tasks held back
    assert HeritageRecord.objects.get().date_key == "lunar-8-15-0-2"
