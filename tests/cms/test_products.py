"""OCOP products: validation of ratings and prices, and what the reader sees."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from wagtail_factories import ImageFactory

from tests.cms.factories import ProductIndexPageFactory, ProductPageFactory

SITE_CSS = Path(settings.BASE_DIR) / "static" / "css" / "site.css"


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
    assert '<span aria-hidden="true">★★★★</span> OCOP' in body
    assert 'href="tel:0216000121"' in body


def test_product_list_filters_by_category(client, products):
    ProductPageFactory(parent=products, title="Chè", slug="che", category="beverage")
    ProductPageFactory(parent=products, title="Khăn thổ cẩm", slug="khan", category="textile")
    body = client.get("/vi/san-pham-ocop/?category=textile").content.decode()
    assert "Khăn thổ cẩm" in body and ">Chè<" not in body
    everything = client.get("/vi/san-pham-ocop/?category=nonsense").content.decode()
    assert "Khăn thổ cẩm" in everything and ">Chè<" in everything


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a ``#rgb`` or ``#rrggbb`` colour."""
    digits = colour[1:] if len(colour) == 7 else "".join(2 * digit for digit in colour[1:])
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours."""
    lighter, darker = sorted(map(relative_luminance, (foreground, background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_is_computed_as_wcag_does():
    assert round(contrast("#b7791f", "#ffffff"), 2) == 3.64
    assert round(contrast("#000", "#fff"), 2) == 21.0


def test_the_star_rating_is_text_with_enough_contrast():
    css = SITE_CSS.read_text()
    background = re.search(r"--bg:(#[0-9a-f]{6}|#[0-9a-f]{3})\b", css)[1]
    stars = re.search(r"\.stars\{[^}]*color:(#[0-9a-f]{6}|#[0-9a-f]{3})\b", css)[1]
    assert contrast(stars, background) >= 4.5


@pytest.mark.parametrize(("code", "spoken"), [("vi", "4 sao trên 5"), ("en", "4 stars out of 5")])
def test_the_star_rating_is_spoken_from_hidden_text_not_an_aria_label(
    client, products, code, spoken
):
    product = ProductPageFactory(parent=products, title="Chè", slug="che", slug_en="tea")
    body = client.get(product.url_in(code)).content.decode()
    [rating] = re.findall(r'<p class="stars"[^>]*>.*?</p>', body)
    assert "aria-label" not in rating
    assert f'<span class="visually-hidden">{spoken}</span>' in rating
    assert ".visually-hidden{" in SITE_CSS.read_text()


def test_the_first_photo_loads_at_once_and_the_others_lazily(client, products):
    product = ProductPageFactory(parent=products, title="Chè", slug="che")
    for caption in ("Búp chè", "Gói chè", "Đồi chè"):
        product.photos.create(image=ImageFactory(), caption=caption)
    product.save_revision().publish()
    body = client.get(product.url_in("vi")).content.decode()
    images = re.findall(r"<img\b[^>]*>", body)
    assert len(images) == 3
    assert 'fetchpriority="high"' in images[0] and "loading=" not in images[0]
    assert all('loading="lazy"' in image and "fetchpriority" not in image for image in images[1:])
