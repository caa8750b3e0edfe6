"""Market prices: the latest prices block and the per-commodity history with its SVG chart."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from cms.charts import PricePoint, price_chart_svg
from cms.models import MarketPrice
from cms.models.market import latest_prices, monthly_averages
from tests.cms.factories import (
    CommodityFactory,
    MarketFactory,
    MarketPriceFactory,
    MarketPricesPageFactory,
)


@pytest.fixture
def prices_page(home):
    return MarketPricesPageFactory(parent=home)


@pytest.fixture
def coffee(db):
    coffee = CommodityFactory(name="Cà phê nhân", name_en="Green coffee", slug="green-coffee")
    market = MarketFactory(name="Chợ Pleiku", name_en="Pleiku market")
    today = datetime.date.today()
    for days_ago, price in [(2, 110_000), (1, 112_000), (0, 109_500)]:
        MarketPriceFactory(
            commodity=coffee,
            market=market,
            price=price,
            date=today - datetime.timedelta(days=days_ago),
        )
    return coffee


def test_latest_price_comes_with_its_previous_price(coffee):
    [row] = latest_prices()
    assert (row.price, row.previous_price, row.change) == (109_500, 112_000, -2_500)


def test_home_page_shows_latest_prices_in_readers_format(client, prices_page, coffee):
    body = client.get("/vi/").content.decode()
    assert "Giá cả thị trường mới nhất" in body
    assert "109.500\u00a0₫/kg" in body
    assert 'href="/vi/gia-ca-thi-truong/green-coffee/"' in body
    english = client.get("/en/").content.decode()
    assert '109,500\u00a0₫/<span lang="vi">kg</span>' in english
    assert "Green coffee" in english


def test_price_history_draws_a_chart_per_market(client, prices_page, coffee):
    response = client.get("/en/market-prices/green-coffee/")
    assert response.status_code == 200
    body = response.content.decode()
    svg = body[body.index("<svg") : body.index("</svg>") + 6]
    chart = ET.fromstring(svg)
    points = chart.find("polyline").get("points").split()
    assert len(points) == 3
    assert chart.get("role") == "img"
    assert "Lowest 109,500\u00a0₫, highest 112,000\u00a0₫" in body


def test_unknown_commodity_is_not_found(client, prices_page, coffee):
    assert client.get("/vi/gia-ca-thi-truong/vang-mieng/").status_code == 404


def test_one_price_per_commodity_market_and_day(coffee):
    from django.db import IntegrityError, transaction

    existing = MarketPrice.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        MarketPrice.objects.create(
            commodity=existing.commodity, market=existing.market, date=existing.date, price=1
        )


def test_flat_prices_still_draw_inside_the_chart():
    day = datetime.date(2026, 1, 1)
    svg = price_chart_svg(
        [PricePoint(day, 3000), PricePoint(day + datetime.timedelta(days=1), 3000)], "Sắn"
    )
    assert "NaN" not in svg and "inf" not in svg


def test_chart_title_is_escaped():
    svg = price_chart_svg([PricePoint(datetime.date(2026, 1, 1), 1)], "<script>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_monthly_averages_round_to_whole_dong():
    points = [PricePoint(datetime.date(2026, 3, d), p) for d, p in [(1, 100), (2, 101)]]
    assert monthly_averages(points) == [PricePoint(datetime.date(2026, 3, 1), 100)]


def test_prices_older_than_a_month_are_not_shown_as_latest(db):
    stale = MarketPriceFactory(date=datetime.date.today() - datetime.timedelta(days=45))
    fresh = MarketPriceFactory(date=datetime.date.today())
    assert [row.commodity for row in latest_prices()] == [fresh.commodity]
    assert stale.commodity not in [row.commodity for row in latest_prices()]


def test_home_page_shows_one_row_per_commodity(client, prices_page, coffee):
    pepper = CommodityFactory(name="Hồ tiêu", slug="black-pepper")
    for market in {row.market for row in latest_prices()}:
        MarketPriceFactory(commodity=pepper, market=market, date=datetime.date.today())
    MarketPriceFactory(commodity=pepper, date=datetime.date.today())
    body = client.get("/vi/").content.decode()
    assert body.count('href="/vi/gia-ca-thi-truong/black-pepper/"') == 1
    assert body.count('href="/vi/gia-ca-thi-truong/green-coffee/"') == 1


@pytest.fixture
def pepper(db):
    """Black pepper with a Vietnamese and an English slug, priced today."""
    pepper = CommodityFactory(
        name="Hồ tiêu đen", name_en="Black pepper", slug="ho-tieu-den", slug_en="black-pepper"
    )
    MarketPriceFactory(commodity=pepper, date=datetime.date.today())
    return pepper


@pytest.mark.parametrize(
    ("code", "address"),
    [
        ("vi", "/vi/gia-ca-thi-truong/ho-tieu-den/"),
        ("km", "/km/gia-ca-thi-truong/ho-tieu-den/"),
        ("en", "/en/market-prices/black-pepper/"),
    ],
)
def test_price_history_has_an_address_in_the_readers_language(
    client, prices_page, pepper, code, address
):
    listing = client.get(prices_page.url_in(code)).content.decode()
    assert listing.count(f'href="{address}"') == 1
    assert client.get(address).status_code == 200


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/vi/gia-ca-thi-truong/black-pepper/", "/vi/gia-ca-thi-truong/ho-tieu-den/"),
        ("/km/gia-ca-thi-truong/black-pepper/", "/km/gia-ca-thi-truong/ho-tieu-den/"),
        ("/en/market-prices/ho-tieu-den/", "/en/market-prices/black-pepper/"),
    ],
)
def test_a_saved_price_history_address_moves_permanently(client, prices_page, pepper, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new
    assert client.get("/vi/gia-ca-thi-truong/hat-dieu/").status_code == 404
