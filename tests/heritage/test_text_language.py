"""The archive's listing and feed say which language each record is really shown in."""

import datetime
import xml.etree.ElementTree as ET

import lxml.html
from django.utils import timezone

from heritage.models import HeritageRecord
from tests.heritage.factories import HeritageRecordFactory

DUBLIN_CORE_LANGUAGE = "{http://purl.org/dc/elements/1.1/}language"
ITEMS_NOTICE_EN = "Some of what is listed here is not yet translated into English"


def cards(doc: lxml.html.HtmlElement) -> dict[str, str | None]:
    """Each record card's title and the ``lang`` its link carries."""
    return {a.text_content(): a.get("lang") for a in doc.xpath("//article[@class='card']/h3/a")}


def test_archive_marks_untranslated_records_and_shows_the_items_notice(client, archive):
    HeritageRecordFactory(
        title="Lễ hội Lồng Tồng",
        title_en="Long Tong festival",
        summary_en="The spring festival of the village.",
    )
    HeritageRecordFactory(title="Hát Then")
    doc = lxml.html.fromstring(client.get("/en/heritage/").content.decode())
    assert cards(doc) == {"Long Tong festival": None, "Hát Then": "vi"}
    (notice,) = doc.xpath('//main//p[@class="notice"]')
    assert notice.text_content().startswith(ITEMS_NOTICE_EN) and notice.get("lang") is None


def test_archive_shows_no_notice_when_every_listed_record_is_translated(client, archive):
    HeritageRecordFactory(
        title="Lễ hội Lồng Tồng",
        title_en="Long Tong festival",
        summary_en="The spring festival of the village.",
    )
    doc = lxml.html.fromstring(client.get("/en/heritage/").content.decode())
    assert cards(doc) == {"Long Tong festival": None}
    assert doc.xpath('//main//p[@class="notice"]') == []


def test_feed_lists_records_in_the_readers_language_first_each_with_its_language(client, archive):
    translated = HeritageRecordFactory(
        title="Lễ hội Lồng Tồng",
        title_en="Long Tong festival",
        summary_en="The spring festival of the village.",
    )
    newer = [HeritageRecordFactory(title=f"Hát Then {n}") for n in (1, 2)]
    # Updated more recently than the translated record, so newest-first alone would bury it.
    for days, record in enumerate(reversed(newer), start=1):
        HeritageRecord.objects.filter(pk=record.pk).update(
            updated_at=timezone.now() + datetime.timedelta(days=days)
        )
    channel = ET.fromstring(client.get("/en/heritage/feed.xml").content).find("channel")
    assert channel.findtext("language") == "en"
    items = [
        (item.findtext(DUBLIN_CORE_LANGUAGE), item.findtext("title"), item.findtext("description"))
        for item in channel.iter("item")
    ]
    assert items == [
        ("en", translated.title_en, "The spring festival of the village."),
        ("vi", "Hát Then 1", "Lễ hội đầu xuân của bản."),
        ("vi", "Hát Then 2", "Lễ hội đầu xuân của bản."),
    ]
