"""What the fuzz test (``test_fuzz``) found, each as a plain test that failed before its fix."""

import html
import re

import pytest

from cms.languages import LANGUAGE_CODES
from tests.heritage.factories import HeritageRecordFactory

pytestmark = pytest.mark.django_db

SMALL = 40_000
"""More than any answer here should weigh: the archive's first page is some 15 KB."""


def switcher_links(body):
    return re.findall(r'<li><a href="([^"]*)" hreflang=', body)


def test_a_missing_page_links_its_languages_without_echoing_a_nul(client, home):
    response = client.get("/vi/khong-co%00trang%01nay/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "\x00" not in body and "\x01" not in body
    links = switcher_links(body)
    assert len(links) == len(LANGUAGE_CODES)
    assert "/vi/khong-co%00trang%01nay/" in links


def test_the_archive_links_carry_its_filters_only_not_the_rest_of_the_request(client, archive):
    for number in range(21):
        HeritageRecordFactory(title=f"Lễ hội {number}", slug=f"le-hoi-thu-{number}")
    junk = "&utm=" + "x" * 30
    response = client.get("/vi/di-san/?kind=festival" + junk * 300 + "&kind=festival" * 300)
    body = response.content.decode()
    assert response.status_code == 200
    assert "utm=" not in body
    assert 'href="?page=2&amp;kind=festival"' in body
    assert body.count("kind=festival") == 2
    assert len(response.content) < SMALL


@pytest.mark.parametrize("topic", ["suc%00khoe", "%00", "khong-co"])
def test_a_feed_of_a_topic_that_is_none_is_not_found(client, article, topic):
    for kind in ("rss", "atom"):
        assert client.get(f"/vi/feeds/{topic}/{kind}.xml").status_code == 404
    assert client.get("/vi/feeds/health/rss.xml").status_code == 200


@pytest.mark.parametrize("slug", ["le%00hoi", "%00", "le%0Ahoi", "le hoi"])
def test_the_api_answers_a_slug_no_record_can_have_as_missing(client, slug):
    HeritageRecordFactory(slug="le-hoi")
    response = client.get(f"/api/heritage/records/{slug}/")
    assert response.status_code == 404
    assert response.json() == {"errors": ["Không có hồ sơ này."]}
    assert client.get("/api/heritage/records/le-hoi/").status_code == 200


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("month=%00", "“\ufffd” không phải là tháng: hãy chọn từ 1 đến 12."),
        ("month=1%0A2", "“1\ufffd2” không phải là tháng: hãy chọn từ 1 đến 12."),
        ("month=" + "9" * 5000, "“" + "9" * 39 + "…” không phải là tháng: hãy chọn từ 1 đến 12."),
        ("kind=%1Bdance", "Không có loại hình di sản “\ufffddance”."),
        ("ethnic_group=%00%00", "Không có dân tộc nào có mã “\ufffd\ufffd”."),
        ("province=1%00", "Không có tỉnh nào đang có hiệu lực mang số “1\ufffd”."),
    ],
)
def test_the_archive_quotes_a_bad_filter_value_short_and_without_control_characters(
    client, archive, query, message
):
    response = client.get(f"/vi/di-san/?{query}")
    body = response.content.decode()
    assert response.status_code == 400
    assert re.findall(r'<p class="notice" role="alert">(.*?)</p>', body) == [html.escape(message)]
    assert "\x00" not in body and "\x1b" not in body
    assert len(response.content) < SMALL


def test_the_api_quotes_a_bad_filter_value_short_and_without_control_characters(client):
    response = client.get("/api/heritage/records/?month=%00" + "9" * 5000)
    assert response.status_code == 400
    assert response.json() == {
        "errors": ["“\ufffd" + "9" * 38 + "…” không phải là tháng: hãy chọn từ 1 đến 12."]
    }
