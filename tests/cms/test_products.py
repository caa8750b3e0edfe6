"""OCOP products: validation of ratings and prices, and what the reader sees."""

import pytest
from django.core.exceptions import ValidationError

from tests.cms.factories import ProductIndexPageFactory, ProductPageFactory


@pytest.fixture
def products(home):
    return ProductIndexPageFactory(parent=home)


def test_price_range_must_be_ordered(products):
    product = ProductPageFactory.build(price_min=300_000, price_max=100_000)
    with pytest.raises(ValidationError) as error:
        product.clean()
    assert "price_max" in error.value.message_dict


@pytest.mark.parametrize("stars", [0, 2, 6])
def test_ocop_rating_is_three_to_five_stars(products, stars):
    product = ProductPageFactory.build(ocop_stars=stars)
    with pytest.raises(ValidationError) as error:
        product.full_clean(exclude=["path", "depth", "content_type", "translation_key", "locale"])
    assert "ocop_stars" in error.value.message_dict


def test_phone_number_is_validated(products):
    product = ProductPageFactory.build(phone="call me")
    with pytest.raises(ValidationError) as error:
        product.full_clean(exclude=["path", "depth", "content_type", "translation_key", "locale"])
    assert "phone" in error.value.message_dict


def test_product_page_shows_price_stars_and_a_tel_link(client, products):
    product = ProductPageFactory(parent=products, title="Chè Shan tuyết", slug="che-shan-tuyet")
    body = client.get(product.url_in("vi")).content.decode()
    assert "150.000\u00a0₫ – 300.000\u00a0₫ / gói 200 g" in body
    assert "★★★★ OCOP" in body
    assert 'href="tel:0216000121"' in body


def test_product_list_filters_by_category(client, products):
    ProductPageFactory(parent=products, title="Chè", slug="che", category="beverage")
    ProductPageFactory(parent=products, title="Khăn thổ cẩm", slug="khan", category="textile")
    body = client.get("/vi/san-pham-ocop/?category=textile").content.decode()
    assert "Khăn thổ cẩm" in body and ">Chè<" not in body
    everything = client.get("/vi/san-pham-ocop/?category=nonsense").content.decode()
    assert "Khăn thổ cẩm" in everything and ">Chè<" in everything
