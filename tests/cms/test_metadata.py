"""Titles, descriptions, OpenGraph and schema.org JSON-LD of every kind of public page."""

import datetime
import re

import pytest
import wagtail_factories
from django.utils import timezone

from cms.models import ProductPhoto
from cms.text import graphemes
from heritage.festival_dates import DateRule
from tests.cms.factories import (
    ArticlePageFactory,
    CommodityFactory,
    MarketPriceFactory,
    MarketPricesPageFactory,
    ProductIndexPageFactory,
    ProductPageFactory,
)
from tests.heritage.factories import HeritageRecordFactory
from tests.page_head import head_of

SITE = "http://testserver/"
SITE_DESCRIPTION_VI = (
    "Tin tức, giá cả thị trường, thông tin sức khỏe và di sản văn hóa cho vùng đồng bào dân tộc "
    "thiểu số và miền núi Việt Nam."
)
OG_TAGS = ("og:title", "og:description", "og:type", "og:url", "og:locale", "og:site_name")


@pytest.fixture
def site_pages(home, health, article, archive):
    """One page of every public kind, in Vietnamese, by name."""
    article.lead_image = wagtail_factories.ImageFactory()
    article.save()
    products = ProductIndexPageFactory(parent=home, intro="Đặc sản các xã vùng cao.")
    product = ProductPageFactory(parent=products, title="Chè Shan tuyết Suối Giàng")
    ProductPhoto.objects.create(page=product, image=wagtail_factories.ImageFactory())
    prices = MarketPricesPageFactory(parent=home)
    coffee = CommodityFactory(slug="ca-phe-nhan")
    MarketPriceFactory(commodity=coffee, date=timezone.localdate())
    HeritageRecordFactory(
        title="Lễ hội Lồng Tồng",
        slug="long-tong",
        date_rule=DateRule.LUNAR,
        date_month=1,
        date_day=15,
    )
    later = timezone.localdate().replace(day=1) + datetime.timedelta(days=40)
    return {
        "home": "/vi/",
        "topic": health.url_in("vi"),
        "article": article.url_in("vi"),
        "product index": products.url_in("vi"),
        "product": product.url_in("vi"),
        "market prices": prices.url_in("vi"),
        "price history": f"{prices.url_in('vi')}ca-phe-nhan/",
        "archive": "/vi/di-san/",
        "archive filtered": "/vi/di-san/?kind=festival",
        "calendar": f"/vi/di-san/calendar/{later.year}/{later.month}/",
        "record": "/vi/di-san/long-tong/",
        "search": "/vi/search/",
        "search with query": "/vi/search/?q=s%E1%BB%91t+r%C3%A9t",
    }


def heads(client, urls):
    found = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, url)
        found[name] = head_of(response.content.decode())
    return found


def test_every_page_type_has_one_title_a_description_and_opengraph(client, site_pages):
    for name, head in heads(client, site_pages).items():
        assert len(head.titles) == 1 and head.titles[0].strip(), name
        assert head.meta["description"].strip(), name
        for tag in OG_TAGS:
            assert head.meta[tag].strip(), (name, tag)
        assert head.meta["og:url"].startswith(SITE), name
        assert re.fullmatch(r"[a-z]{2,3}_VN", head.meta["og:locale"]), name
        assert head.meta["twitter:card"] in ("summary", "summary_large_image"), name
        if head.canonical:
            assert head.meta["og:url"] == head.canonical, name


def test_titles_are_unique_and_the_home_title_is_the_site_name_once(client, site_pages):
    found = heads(client, site_pages)
    titles = [head.titles[0] for head in found.values()]
    assert len(set(titles)) == len(titles) == 13
    assert found["home"].titles == ["Bản Làng"]
    assert found["topic"].titles == ["Sức khỏe · Bản Làng"]
    assert found["price history"].titles == ["Cà phê nhân · Giá cả thị trường · Bản Làng"]
    assert found["archive filtered"].titles[0].startswith("Lễ hội · Di sản văn hóa")


def test_the_price_history_is_its_own_canonical_page(client, site_pages):
    head = heads(client, {"history": site_pages["price history"]})["history"]
    url = f"http://testserver{site_pages['price history']}"
    assert head.canonical == head.meta["og:url"] == url
    assert "Cà phê nhân" in head.meta["description"]


def test_the_404_page_has_a_title_and_a_description(client, home):
    response = client.get("/vi/khong-co-trang-nay/")
    assert response.status_code == 404
    head = head_of(response.content.decode())
    assert head.titles == ["Không tìm thấy trang · Bản Làng"]
    assert head.meta["description"] and head.meta["og:url"].startswith(SITE)


def test_images_are_shared_with_absolute_addresses(client, site_pages):
    found = heads(client, site_pages)
    for name in ("article", "product"):
        image = found[name].meta["og:image"]
        assert image.startswith(SITE) and image.endswith(".jpg"), name
        assert found[name].meta["twitter:card"] == "summary_large_image"
    assert "og:image" not in found["topic"].meta
    assert found["topic"].meta["twitter:card"] == "summary"


def test_an_article_is_a_news_article(client, site_pages, article):
    head = heads(client, {"article": site_pages["article"]})["article"]
    (data,) = head.json_ld
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Phòng chống sốt rét mùa mưa"
    assert data["datePublished"] == "2026-10-01"
    assert data["dateModified"] >= data["datePublished"]
    assert data["inLanguage"] == "vi"
    assert data["image"] == [head.meta["og:image"]]
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == "Bản Làng"
    assert data["mainEntityOfPage"] == head.canonical
    assert head.meta["og:type"] == "article"


def test_a_product_is_offered_in_dong_at_its_price_range(client, site_pages):
    head = heads(client, {"product": site_pages["product"]})["product"]
    (data,) = head.of_type("Product")
    assert data["name"] == "Chè Shan tuyết Suối Giàng"
    assert data["image"] == [head.meta["og:image"]]
    assert data["offers"] == {
        "@type": "AggregateOffer",
        "priceCurrency": "VND",
        "lowPrice": 150_000,
        "highPrice": 300_000,
        "url": head.canonical,
        "seller": data["manufacturer"],
        "eligibleQuantity": {"@type": "QuantitativeValue", "value": 1, "unitText": "gói 200 g"},
    }


def test_a_product_with_one_price_has_one_offer(client, home):
    products = ProductIndexPageFactory(parent=home)
    product = ProductPageFactory(parent=products, price_min=90_000, price_max=90_000)
    head = head_of(client.get(product.url_in("vi")).content.decode())
    offer = head.of_type("Product")[0]["offers"]
    assert (offer["@type"], offer["price"], offer["priceCurrency"]) == ("Offer", 90_000, "VND")


def test_the_home_page_describes_the_website(client, home):
    head = head_of(client.get("/vi/").content.decode())
    (data,) = head.json_ld
    assert data["@type"] == "WebSite" and data["url"] == "http://testserver/vi/"
    assert head.meta["description"] == "Tin tức cho bà con vùng cao."


def test_descriptions_fall_back_from_search_description_to_intro_to_the_site(client, home, health):
    assert head_of(client.get("/vi/suc-khoe/").content.decode()).meta["description"] == (
        SITE_DESCRIPTION_VI
    )
    health.intro = "Tin y tế cho bà con."
    health.save()
    assert head_of(client.get("/vi/suc-khoe/").content.decode()).meta["description"] == (
        "Tin y tế cho bà con."
    )
    health.search_description = "Phòng bệnh, chữa bệnh, chăm sóc mẹ và bé."
    health.save()
    assert head_of(client.get("/vi/suc-khoe/").content.decode()).meta["description"] == (
        "Phòng bệnh, chữa bệnh, chăm sóc mẹ và bé."
    )


def test_a_long_khmer_summary_is_cut_between_letters(client, health):
    summary = "សេរីភាព និងសិទ្ធិស្មើគ្នា " * 20
    page = ArticlePageFactory(
        parent=health,
        title_km="សិទ្ធិមនុស្ស",
        summary_km=summary,
        body_km=[{"type": "paragraph", "value": "<p>សេរីភាព</p>"}],
    )
    description = head_of(client.get(page.url_in("km")).content.decode()).meta["description"]
    assert description.endswith("…")
    assert len(graphemes(description)) <= 160
    assert not description[:-1].endswith("\u17d2")
    assert summary.startswith(description[:-1].rstrip())


def test_text_in_vietnamese_on_a_khmer_page_says_so(client, article):
    head = head_of(client.get(article.url_in("km")).content.decode())
    assert head.meta["og:locale"] == "vi_VN"
    assert head.title_lang == "vi"
    assert head.meta_lang["description"] == "vi"
    assert head.meta["description"] == "Ngủ màn mỗi đêm, kể cả khi ngủ lại trên nương."
    assert head.json_ld[0]["inLanguage"] == "vi"
    english = head_of(client.get(article.url_in("en")).content.decode())
    assert english.meta["og:locale"] == "en_VN"
    assert english.title_lang is None and english.meta_lang["description"] is None
    assert english.meta["og:title"] == "Preventing malaria in the rainy season"


def test_json_ld_cannot_end_its_script_element(client, health):
    title = "</script><script>alert(1)</script> & <!-- sốt rét"
    page = ArticlePageFactory(parent=health, title=title, slug="thu-ld")
    head = head_of(client.get(page.url_in("vi")).content.decode())
    (text,) = head.json_ld_text
    assert "<" not in text and ">" not in text and "&" not in text
    assert head.json_ld[0]["headline"] == title
    assert head.titles == [f"{title} · Bản Làng"]
