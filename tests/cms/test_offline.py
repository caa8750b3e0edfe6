"""Reading offline and on tiny data plans: the service worker's address and headers, what it
keeps ahead of time, the offline page, and the text-first page for ``Save-Data: on``."""

import datetime
import json
import re

import pytest
import wagtail_factories
from django.contrib.auth import get_user_model
from wagtail.models import PageViewRestriction

from tests.cms.factories import (
    ArticlePageFactory,
    MarketPricesPageFactory,
    TopicIndexPageFactory,
)

FONTS_CSS = "/static/css/fonts.css"


@pytest.fixture
def illustrated(health):
    """An article with a lead image and an image in its body."""
    return ArticlePageFactory(
        parent=health,
        title="Rửa tay đúng cách",
        slug="rua-tay-dung-cach",
        lead_image=wagtail_factories.ImageFactory(),
        body=[
            {"type": "paragraph", "value": "<p>Rửa tay bằng xà phòng trước khi ăn.</p>"},
            {
                "type": "image",
                "value": {"image": wagtail_factories.ImageFactory().pk, "caption": "Xà phòng"},
            },
        ],
    )


def test_worker_is_served_at_the_root_uncached_as_javascript(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert "Service-Worker-Allowed" not in response
    script = response.content.decode()
    config = json.loads(re.search(r"^const CONFIG = (.*);$", script, re.MULTILINE).group(1))
    assert config["pages_limit"] == 50
    assert {"/admin/", "/django-admin/", "/media/"} <= set(config["never"])
    assert re.fullmatch(r"[0-9a-f]{12}", config["version"])
    assert "{{" not in script


def test_unchanged_worker_is_answered_not_modified(client, db):
    etag = client.get("/sw.js")["ETag"]
    assert client.get("/sw.js", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/sw.js", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_every_page_registers_the_worker_with_a_deferred_script(client, article):
    html = client.get(article.url_in("km")).content.decode()
    assert (
        '<script src="/static/js/offline.js" defer data-worker="/sw.js" '
        'data-keep="/km/offline/pages.json"></script>'
    ) in html


@pytest.fixture
def health_news(home, health):
    """A market prices page and six health articles, the newest dated 6 November."""
    prices = MarketPricesPageFactory(parent=home)
    articles = [
        ArticlePageFactory(parent=health, date=datetime.date(2026, 11, day)) for day in range(1, 7)
    ]
    return prices, articles


def test_worker_keeps_prices_health_section_and_five_newest_health_articles(client, health_news):
    _prices, articles = health_news
    response = client.get("/en/offline/pages.json")
    assert response.status_code == 200
    listed = response.json()
    newest_five = [article.url_in("en") for article in reversed(articles[1:])]
    assert listed["pages"] == [
        "/en/offline/",
        "/en/market-prices/",
        "/en/health/",
        *newest_five,
    ]
    assert listed["static"] == [
        "/static/css/fonts.css",
        "/static/css/site.css",
        "/static/css/market.css",
        "/static/js/offline.js",
    ]


def test_every_style_sheet_of_a_page_kept_ahead_is_kept_too(client, health_news):
    listed = client.get("/vi/offline/pages.json").json()
    for path in listed["pages"]:
        html = client.get(path).content.decode()
        sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
        assert sheets and set(sheets) <= set(listed["static"]), path


def test_restricted_and_unpublished_articles_are_not_kept_ahead(client, health, health_news):
    _prices, articles = health_news
    restricted = ArticlePageFactory(parent=health, date=datetime.date(2026, 11, 30))
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    draft = ArticlePageFactory(parent=health, date=datetime.date(2026, 11, 29), live=False)
    pages = client.get("/vi/offline/pages.json").json()["pages"]
    offline_page = client.get("/vi/offline/").content.decode()
    assert articles[-1].url_in("vi") in pages and articles[-1].title in offline_page
    for hidden in (restricted, draft):
        assert hidden.url_in("vi") not in pages
        assert hidden.title not in offline_page


def test_other_sections_are_not_kept_ahead(client, home, health_news):
    TopicIndexPageFactory(
        parent=home, topic="policy", title="Chính sách", slug="chinh-sach", slug_en="policy"
    )
    assert "/vi/chinh-sach/" not in client.get("/vi/offline/pages.json").json()["pages"]
    assert "/vi/suc-khoe/" in client.get("/vi/offline/pages.json").json()["pages"]


def test_offline_page_in_english_is_english(client, health_news):
    html = client.get("/en/offline/").content.decode()
    assert '<html lang="en"' in html
    assert "<h1>You are offline</h1>" in html
    assert '<a href="/en/market-prices/">Market prices</a>' in html
    assert '<meta name="robots" content="noindex">' in html


def test_offline_page_without_a_khmer_catalogue_entry_is_vietnamese_tagged_vi(client, health_news):
    html = client.get("/km/offline/").content.decode()
    assert '<html lang="km"' in html
    assert '<h1 lang="vi">Bạn đang ngoại tuyến</h1>' in html
    assert '<a href="/km/gia-ca-thi-truong/" lang="vi">Giá cả thị trường</a>' in html


def test_reader_saving_data_gets_links_instead_of_images_and_no_web_fonts(client, illustrated):
    full = client.get(illustrated.url_in("vi"))
    assert full.content.decode().count("<img") == 2
    assert FONTS_CSS in full.content.decode()
    saving = client.get(illustrated.url_in("vi"), HTTP_SAVE_DATA="on")
    html = saving.content.decode()
    assert "<img" not in html and "<picture" not in html
    assert FONTS_CSS not in html
    links = re.findall(r'<a class="image-link" href="(/media/images/[^"]+\.webp)">Xem ảnh \(', html)
    assert len(links) == 2
    assert "Rửa tay bằng xà phòng trước khi ăn." in html
    assert "Xà phòng" in html
    for response in (full, saving):
        assert "Save-Data" in response["Vary"]


def test_text_first_pages_are_smaller(client, illustrated):
    full = client.get(illustrated.url_in("vi"))
    saving = client.get(illustrated.url_in("vi"), HTTP_SAVE_DATA="on")
    assert len(saving.content) < len(full.content)


@pytest.mark.parametrize("path", ["/", "/vi/", "/vi/suc-khoe/", "/vi/offline/"])
def test_every_public_page_varies_with_save_data(client, health, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "Save-Data" in response["Vary"]


def test_admin_pages_do_not_vary_with_save_data(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "Save-Data" not in response.get("Vary", "")


def test_signing_out_tells_the_browser_to_drop_what_it_kept(client, db):
    user = get_user_model().objects.create_superuser("editor", password="x-pass-1234")
    client.force_login(user)
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
