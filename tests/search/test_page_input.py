"""What the search page and the autocomplete do with input no form sends: repeated, unknown or
malformed filter values, bad months and provinces, control characters in the query. Each is a
400 with a message in the reader's language, a small answer, and links that stay small."""

import re

import pytest
from django.contrib.auth import get_user_model

from heritage.models import EthnicGroup, HeritageKind, Place
from search import indexing, querylog
from search.models import QueryLog
from search.parameters import MAX_VALUES
from tests.heritage.factories import HeritageRecordFactory

pytestmark = pytest.mark.django_db

SMALL = 40_000
"""More than any answer here should weigh: a normal results page is a few kilobytes."""


@pytest.fixture
def indexed(archive):
    """Two festivals and a craft, with an ethnic group and a province."""
    tay = EthnicGroup.objects.get(code="02")
    province = Place.objects.current().provinces().order_by("name").first()
    first = HeritageRecordFactory(title="Lễ hội Lồng Tồng", slug="long-tong")
    first.ethnic_groups.add(tay)
    first.places.add(province)
    HeritageRecordFactory(title="Lễ hội cầu mùa", slug="cau-mua")
    HeritageRecordFactory(title="Lễ dệt thổ cẩm", slug="det", kind=HeritageKind.CRAFT)
    indexing.rebuild()
    return tay, province


def hrefs(body):
    return re.findall(r'href="(\?[^"]*)"', body)


def alerts(body):
    return re.findall(r'<p class="notice" role="alert">(.*?)</p>', body)


def test_a_value_repeated_nine_hundred_times_counts_once(client, indexed):
    response = client.get("/vi/search/?q=le" + "&kind=festival" * 900)
    body = response.content.decode()
    assert response.status_code == 200
    assert len(response.content) < SMALL
    assert "2 kết quả" in body
    assert all(link.count("kind=") <= 1 for link in hrefs(body))
    assert 'href="?q=le" aria-current="true"' in body


def test_nine_hundred_unknown_values_are_one_short_message(client, indexed):
    query = "?q=le" + "".join(f"&kind=k{number}" for number in range(900))
    response = client.get("/vi/search/" + query)
    body = response.content.decode()
    assert response.status_code == 400
    assert len(response.content) < SMALL
    assert alerts(body) == [
        f"Chọn tối đa {MAX_VALUES} giá trị cho “Loại hình”.",
        "Không có loại hình di sản “k0”.",
    ]
    assert "3 kết quả" in body
    assert f"k{MAX_VALUES}" not in body


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("month", "99", "“99” không phải là tháng: hãy chọn từ 1 đến 12."),
        ("month", "0", "“0” không phải là tháng: hãy chọn từ 1 đến 12."),
        ("month", "13", "“13” không phải là tháng: hãy chọn từ 1 đến 12."),
        ("month", "-1", "“-1” không phải là tháng: hãy chọn từ 1 đến 12."),
        ("month", "١", "“١” không phải là tháng: hãy chọn từ 1 đến 12."),
        ("month", "tháng giêng", "“tháng giêng” không phải là tháng: hãy chọn từ 1 đến 12."),
        ("month", "9" * 5000, "“" + "9" * 39 + "…” không phải là tháng: hãy chọn từ 1 đến 12."),
        ("province", "9" * 30, "Không có tỉnh nào đang có hiệu lực mang số “" + "9" * 30 + "”."),
        ("province", "abc", "Không có tỉnh nào đang có hiệu lực mang số “abc”."),
        ("ethnic_group", "99", "Không có dân tộc nào có mã “99”."),
        ("kind", "dance", "Không có loại hình di sản “dance”."),
        ("type", "page", "“page” không phải là một lựa chọn của “Loại”."),
        ("topic", "sport", "“sport” không phải là một lựa chọn của “Chủ đề”."),
        ("media_type", "pdf", "“pdf” không phải là một lựa chọn của “Loại tư liệu”."),
        ("kind", "fest\x00ival", "Không có loại hình di sản “fest\ufffdival”."),
        ("ethnic_group", "0\x002", "Không có dân tộc nào có mã “0\ufffd2”."),
        ("province", "1\x00", "Không có tỉnh nào đang có hiệu lực mang số “1\ufffd”."),
    ],
)
def test_a_value_that_is_no_choice_is_a_400_with_a_message(client, indexed, name, value, message):
    response = client.get("/vi/search/", {"q": "le", name: value})
    body = response.content.decode()
    assert response.status_code == 400
    assert len(response.content) < SMALL
    assert alerts(body) == [message]
    assert "3 kết quả" in body


def test_the_message_is_in_the_readers_language(client, indexed):
    response = client.get("/en/search/", {"q": "le", "month": "13", "type": "page"})
    assert response.status_code == 400
    assert alerts(response.content.decode()) == [
        "“page” is not one of the choices of “Type”.",
        "“13” is not a month: choose 1 to 12.",
    ]


def test_real_values_of_every_facet_are_accepted(client, indexed):
    tay, province = indexed
    params = {
        "q": "le",
        "kind": "festival",
        "ethnic_group": tay.code,
        "province": str(province.pk),
        "type": "record",
        "month": ["1", "12"],
    }
    response = client.get("/vi/search/", params)
    assert response.status_code == 200
    assert alerts(response.content.decode()) == []
    media = client.get("/vi/search/", {"q": "le", "media_type": "audio", "topic": "health"})
    assert media.status_code == 200


def test_a_facet_carries_at_most_a_few_values(client, indexed):
    months = [str(month) for month in range(1, MAX_VALUES + 2)]
    response = client.get("/en/search/", {"q": "le", "month": months})
    body = response.content.decode()
    assert response.status_code == 400
    assert alerts(body) == [f"Choose at most {MAX_VALUES} values of “Month”."]
    assert all(link.count("month=") <= MAX_VALUES for link in hrefs(body))
    at_the_cap = client.get("/en/search/", {"q": "le", "month": months[:MAX_VALUES]})
    assert at_the_cap.status_code == 200
    assert all(link.count("month=") <= MAX_VALUES for link in hrefs(at_the_cap.content.decode()))


def test_links_carry_only_the_search_and_its_filters(client, indexed):
    noise = "".join(f"&utm{number}=x" for number in range(300))
    response = client.get("/vi/search/?q=le&kind=festival&kind=festival" + noise)
    body = response.content.decode()
    assert response.status_code == 200
    assert len(response.content) < SMALL
    assert "utm" not in body
    assert 'href="?q=le&amp;type=record&amp;kind=festival"' in body


@pytest.mark.parametrize("query", ["lễ\x00hội", "\x00", "lễ\x07 hội\x1b"])
def test_control_characters_in_the_query_are_left_out_and_said(client, indexed, query):
    response = client.get("/vi/search/", {"q": query})
    body = response.content.decode()
    assert response.status_code == 400
    assert alerts(body) == [
        "Nội dung tìm kiếm có ký tự không thể tìm được; các ký tự đó đã được bỏ qua."
    ]
    assert "\x00" not in body
    querylog.flush(force=True)
    assert QueryLog.objects.count() == 0


def test_control_characters_in_an_autocomplete_are_a_400(client, indexed):
    response = client.get("/en/search/autocomplete/", {"q": "le h\x00"})
    assert response.status_code == 400
    assert response.json() == {
        "query": "le h ",
        "results": [],
        "error": "The search text had characters that cannot be searched; they were left out.",
    }


def test_invalid_utf8_and_long_queries_are_answered(client, indexed):
    assert client.get("/vi/search/?q=l%FF%FEe").status_code == 200
    assert client.get("/vi/search/autocomplete/?q=l%FF%FEe").status_code == 200
    long = client.get("/vi/search/", {"q": "lễ hội " * 5000})
    assert long.status_code == 200
    assert len(long.content) < SMALL


@pytest.mark.parametrize("page", ["x", "-5", "0", "9" * 5000, "1e9", "99999999999999999999"])
def test_any_page_number_gives_a_page(client, indexed, page):
    response = client.get("/vi/search/", {"q": "le", "page": page})
    assert response.status_code == 200
    assert "3 kết quả" in response.content.decode()


def test_signed_in_readers_get_the_same_messages(client, indexed):
    client.force_login(get_user_model().objects.create_user("reader", password="pw"))
    response = client.get("/vi/search/", {"q": "le", "month": "99"})
    assert response.status_code == 400
    assert alerts(response.content.decode()) == ["“99” không phải là tháng: hãy chọn từ 1 đến 12."]


def test_more_parameters_than_django_reads_is_a_400(client, indexed):
    response = client.get("/vi/search/?q=le" + "&kind=festival" * 1000)
    assert response.status_code == 400
    assert len(response.content) < SMALL
    assert client.get("/vi/search/autocomplete/?q=le" + "&x=1" * 1000).status_code == 400
