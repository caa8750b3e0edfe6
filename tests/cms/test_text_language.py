"""Every piece of text carries the language it is really in: Vietnamese fallbacks say ``vi``.

A Khmer reader of a site mostly written in Vietnamese sees Khmer where a translation exists and
Vietnamese elsewhere: in listings, the menu, the footer, feeds. The pages are parsed with lxml,
and a node's language is the one its nearest ``lang`` ancestor gives it, as a browser reads it.
"""

import datetime
import xml.etree.ElementTree as ET

import lxml.html
import pytest
from django.utils import translation

from cms.text_language import field_language, message_language
from tests.cms.factories import (
    ArticlePageFactory,
    CommodityFactory,
    MarketFactory,
    MarketPriceFactory,
    MarketPricesPageFactory,
    ProductIndexPageFactory,
    ProductPageFactory,
)

KM_TITLE = "ការការពារជំងឺគ្រុនចាញ់"
KM_SUMMARY = "គេងក្នុងមុងរាល់យប់"
KM_BODY = [{"type": "paragraph", "value": "<p>មូសចម្លងជំងឺគ្រុនចាញ់</p>"}]
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DUBLIN_CORE_LANGUAGE = "{http://purl.org/dc/elements/1.1/}language"
PAGE_NOTICE_VI = "Trang này chưa được dịch sang"
ITEMS_NOTICE_VI = "Một số nội dung trong danh sách này chưa được dịch sang"
ITEMS_NOTICE_EN = "Some of what is listed here is not yet translated into English"


def parse(response) -> lxml.html.HtmlElement:
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def language_of(node: lxml.html.HtmlElement) -> str:
    """The language a browser gives ``node``: that of its nearest ``lang`` ancestor-or-self."""
    return node.xpath("ancestor-or-self::*[@lang][1]/@lang")[0]


def link(doc: lxml.html.HtmlElement, text: str) -> lxml.html.HtmlElement:
    (found,) = [node for node in doc.iter("a") if node.text_content() == text]
    return found


def notices(doc: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    return doc.xpath('//main//p[@class="notice"]')


@pytest.fixture
def khmer_article(health):
    """An article written in Khmer as well as Vietnamese, older than the Vietnamese-only ones."""
    return ArticlePageFactory(
        parent=health,
        title="Phòng chống sốt rét",
        slug="phong-chong-sot-ret",
        title_km=KM_TITLE,
        summary_km=KM_SUMMARY,
        body_km=KM_BODY,
        date=datetime.date(2026, 9, 1),
    )


@pytest.fixture
def vietnamese_articles(health):
    """Three newer articles in Vietnamese only."""
    return [
        ArticlePageFactory(
            parent=health,
            title=f"Tin sức khỏe {day}",
            slug=f"tin-suc-khoe-{day}",
            date=datetime.date(2026, 10, day),
        )
        for day in (1, 2, 3)
    ]


def test_field_language_names_where_modeltranslation_took_the_text_from(khmer_article, health):
    assert field_language(khmer_article, "title", "km") == "km"
    assert field_language(khmer_article, "title", "blt") == "vi"
    assert field_language(health, "title", "en") == "en"
    assert field_language(health, "title", "km") == "vi"
    assert field_language(health, "intro", "km") == "km"  # empty everywhere: nothing to mark


def test_message_language_follows_the_catalogue_gettext_answers_from():
    assert message_language("Sections", "vi") == "vi"
    assert message_language("Sections", "en") == "en"
    # Our Khmer and Tai Dam catalogues are still empty: Django answers from the Vietnamese one.
    assert message_language("Sections", "km") == "vi"
    assert message_language("Sections", "blt") == "vi"
    with translation.override("km"):
        assert translation.gettext("Sections") == "Chuyên mục"


def test_khmer_topic_page_marks_vietnamese_fallbacks_and_khmer_text_exactly(
    client, khmer_article, vietnamese_articles
):
    doc = parse(client.get("/km/suc-khoe/"))
    assert doc.get("lang") == "km"
    # The Khmer article's card inherits the page's language; the Vietnamese ones say vi.
    khmer = link(doc, KM_TITLE)
    assert khmer.get("lang") is None and language_of(khmer) == "km"
    (summary,) = [p for p in doc.xpath("//article[@class='card']/p") if p.text == KM_SUMMARY]
    assert summary.get("lang") is None and language_of(summary) == "km"
    for article in vietnamese_articles:
        card_link = link(doc, article.title)
        assert card_link.get("lang") == "vi"
        card_summary = card_link.getparent().getparent().xpath("p[not(@class)]")[0]
        assert card_summary.get("lang") == "vi"
    # The section's own title is not translated: the heading and the menu entry say vi.
    assert doc.xpath("//main/h1")[0].get("lang") == "vi"
    nav = doc.xpath("//nav[@aria-label]")[0]
    assert nav.get("aria-label") == "Chuyên mục" and nav.get("lang") == "vi"
    menu_entry = link(doc, "Sức khỏe")
    assert language_of(menu_entry) == "vi" and menu_entry.get("lang") is None
    brand = doc.xpath('//a[@class="brand"]')[0]
    assert brand.get("lang") == "vi"
    footer_line = doc.xpath("//footer/p")[0]
    assert footer_line.get("lang") == "vi"
    assert "thông tin cho vùng đồng bào dân tộc thiểu số" in footer_line.text_content()
    assert doc.xpath('//a[@class="skip"]')[0].get("lang") == "vi"
    assert doc.xpath("//title")[0].get("lang") == "vi"


def test_khmer_menu_entry_inside_the_vietnamese_menu_label_says_km(client, health):
    health.title_km = KM_TITLE
    health.save()
    doc = parse(client.get("/km/suc-khoe/"))
    nav = doc.xpath("//nav[@aria-label]")[0]
    assert nav.get("lang") == "vi"
    assert link(doc, KM_TITLE).get("lang") == "km"
    assert doc.xpath("//main/h1")[0].get("lang") is None


def test_vietnamese_pages_carry_no_lang_attributes_below_html(client, khmer_article):
    doc = parse(client.get("/vi/suc-khoe/"))
    assert doc.get("lang") == "vi"
    assert doc.xpath("//body//*[@lang][not(ancestor::details[@class='languages'])]") == []
    assert link(doc, "Phòng chống sốt rét") is not None  # positive control: the card is there


def test_topic_page_that_is_itself_untranslated_shows_the_page_notice(client, khmer_article):
    doc = parse(client.get("/km/suc-khoe/"))
    (notice,) = notices(doc)
    assert notice.text_content().startswith(f"{PAGE_NOTICE_VI} ភាសាខ្មែរ")
    assert notice.get("lang") == "vi"
    assert notice.xpath("span")[0].get("lang") == "km"


def test_translated_topic_page_with_untranslated_articles_shows_the_items_notice(
    client, health, khmer_article, vietnamese_articles
):
    health.title_km = KM_TITLE
    health.save()
    (notice,) = notices(parse(client.get("/km/suc-khoe/")))
    assert notice.text_content().startswith(f"{ITEMS_NOTICE_VI} ភាសាខ្មែរ")
    assert notice.get("lang") == "vi"


def test_no_notice_when_the_topic_page_and_its_articles_are_all_translated(
    client, health, khmer_article
):
    health.title_km = KM_TITLE
    health.save()
    doc = parse(client.get("/km/suc-khoe/"))
    assert notices(doc) == []
    assert [a.text_content() for a in doc.xpath("//article[@class='card']//a")] == [KM_TITLE]


def test_english_listing_notice_is_in_english(client, article, vietnamese_articles):
    doc = parse(client.get("/en/health/"))
    (notice,) = notices(doc)
    assert notice.text_content().startswith(ITEMS_NOTICE_EN)
    assert notice.get("lang") is None
    assert link(doc, "Preventing malaria in the rainy season").get("lang") is None
    assert link(doc, "Tin sức khỏe 1").get("lang") == "vi"


def test_tai_dam_market_page_marks_untranslated_names_and_shows_the_notice(client, home):
    prices_page = MarketPricesPageFactory(parent=home)
    coffee = CommodityFactory(name="Cà phê nhân", name_en="Green coffee", slug="green-coffee")
    market = MarketFactory(name="Chợ Pleiku", name_en="Pleiku market")
    MarketPriceFactory(commodity=coffee, market=market, date=datetime.date.today())
    url = prices_page.url_in("blt")
    doc = parse(client.get(url))
    assert doc.get("lang") == "blt"
    assert link(doc, "Cà phê nhân").get("lang") == "vi"
    (market_cell,) = [td for td in doc.iter("td") if td.text_content() == "Chợ Pleiku"]
    assert market_cell.get("lang") == "vi"
    assert len(notices(doc)) == 1
    # Positive control: in English both names are translated and carry no lang.
    english = parse(client.get(prices_page.url_in("en")))
    assert link(english, "Green coffee").get("lang") is None
    (english_cell,) = [td for td in english.iter("td") if td.text_content() == "Pleiku market"]
    assert english_cell.get("lang") is None


def test_product_listing_marks_untranslated_products(client, home):
    index = ProductIndexPageFactory(parent=home, title_en="OCOP products")
    translated = ProductPageFactory(
        parent=index,
        title_en="Shan tuyet tea",
        producer_en="Suoi Giang tea cooperative",
        commune_en="Suoi Giang commune, Lao Cai",
        price_unit_en="kg",
        description_en="Tea from old trees.",
    )
    untranslated = ProductPageFactory(parent=index)
    doc = parse(client.get(index.url_in("en")))
    assert link(doc, translated.title_en).get("lang") is None
    assert link(doc, untranslated.title).get("lang") == "vi"
    (notice,) = notices(doc)
    assert notice.text_content().startswith(ITEMS_NOTICE_EN)
    untranslated.delete()
    assert notices(parse(client.get(index.url_in("en")))) == []


def test_khmer_feed_starts_with_the_khmer_article_and_tags_each_entry(
    client, khmer_article, vietnamese_articles
):
    feed = ET.fromstring(client.get("/km/feeds/all/atom.xml").content)
    assert feed.get(XML_LANG) == "km"
    entries = [
        (entry.get(XML_LANG), entry.findtext(f"{ATOM}title"), entry.findtext(f"{ATOM}summary"))
        for entry in feed.iter(f"{ATOM}entry")
    ]
    assert entries == [
        ("km", KM_TITLE, KM_SUMMARY),
        ("vi", "Tin sức khỏe 3", "Ngủ màn mỗi đêm, kể cả khi ngủ lại trên nương."),
        ("vi", "Tin sức khỏe 2", "Ngủ màn mỗi đêm, kể cả khi ngủ lại trên nương."),
        ("vi", "Tin sức khỏe 1", "Ngủ màn mỗi đêm, kể cả khi ngủ lại trên nương."),
    ]


def test_khmer_rss_items_name_their_language_beside_the_channel_language(
    client, khmer_article, vietnamese_articles
):
    channel = ET.fromstring(client.get("/km/feeds/health/rss.xml").content).find("channel")
    assert channel.findtext("language") == "km"
    items = [
        (item.findtext(DUBLIN_CORE_LANGUAGE), item.findtext("title"))
        for item in channel.iter("item")
    ]
    assert items == [
        ("km", KM_TITLE),
        ("vi", "Tin sức khỏe 3"),
        ("vi", "Tin sức khỏe 2"),
        ("vi", "Tin sức khỏe 1"),
    ]


def test_a_khmer_title_without_a_khmer_summary_is_shown_wholly_in_vietnamese(client, health):
    ArticlePageFactory(parent=health, title="Nước sạch", slug="nuoc-sach", title_km=KM_TITLE)
    (entry,) = ET.fromstring(client.get("/km/feeds/all/atom.xml").content).iter(f"{ATOM}entry")
    assert (entry.get(XML_LANG), entry.findtext(f"{ATOM}title")) == ("vi", "Nước sạch")


def test_khmer_feed_holds_the_khmer_article_even_behind_thirty_newer_ones(
    client, health, khmer_article
):
    for day in range(1, 31):
        ArticlePageFactory(
            parent=health, title=f"Tin {day}", slug=f"tin-{day}", date=datetime.date(2026, 10, day)
        )
    km_titles = [
        entry.findtext(f"{ATOM}title")
        for entry in ET.fromstring(client.get("/km/feeds/all/atom.xml").content).iter(
            f"{ATOM}entry"
        )
    ]
    assert len(km_titles) == 30 and km_titles[:2] == [KM_TITLE, "Tin 30"]
    vi_titles = [
        entry.findtext(f"{ATOM}title")
        for entry in ET.fromstring(client.get("/vi/feeds/all/atom.xml").content).iter(
            f"{ATOM}entry"
        )
    ]
    assert len(vi_titles) == 30 and "Phòng chống sốt rét" not in vi_titles
