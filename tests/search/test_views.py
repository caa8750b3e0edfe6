"""The search page, the autocomplete endpoint, editors' picks, the query log and its report."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from heritage.festival_dates import record_months
from heritage.protocols import CulturalProtocol
from search import indexing, querylog, service
from search.models import QueryLog, SearchDocument, counted_facets, facet_tokens
from search.querylog import normalise
from tests.heritage.factories import HeritageRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(article, archive):
    """The malaria article and two records, indexed."""
    HeritageRecordFactory(
        title="Lễ hội Lồng Tồng", slug="long-tong", summary="Lễ hội xuống đồng của người Tày."
    )
    HeritageRecordFactory(
        title="Hồ sơ thầy Then chưa công bố",
        summary="Lễ hội cấp sắc.",
        protocol=CulturalProtocol.RESTRICTED,
    )
    indexing.rebuild()


def test_search_page_works_without_javascript(client, indexed):
    response = client.get("/vi/search/", {"q": "sot ret"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex">' in html
    assert "<mark>sốt</mark> <mark>rét</mark>" in html
    assert 'href="/vi/suc-khoe/phong-chong-sot-ret-mua-mua/"' in html
    assert "1 kết quả" in html
    assert 'action="/vi/search/"' in html


def test_facet_links_filter_and_count(client, indexed):
    html = client.get("/vi/search/", {"q": "lễ hội"}).content.decode()
    assert "Hồ sơ thầy Then" not in html
    assert 'href="?q=l%E1%BB%85+h%E1%BB%99i&amp;kind=festival"' in html
    filtered = client.get("/vi/search/", {"q": "lễ hội", "type": "article"}).content.decode()
    assert "0 kết quả" in filtered
    selected = client.get("/vi/search/", {"q": "lễ hội", "type": "record"}).content.decode()
    assert 'aria-current="true"' in selected
    assert "Lồng Tồng" in selected


def test_pagination_keeps_the_query(client, archive):
    for number in range(12):
        HeritageRecordFactory(title=f"Lễ hội bản {number}")
    indexing.rebuild()
    html = client.get("/en/search/", {"q": "le hoi"}).content.decode()
    assert 'rel="next" href="?q=le+hoi&amp;page=2"' in html
    second = client.get("/en/search/", {"q": "le hoi", "page": "2"}).content.decode()
    assert second.count('class="search-hit ') == 2
    assert 'start="11"' in second
    assert client.get("/en/search/", {"q": "le hoi", "page": "x"}).status_code == 200


def test_suggestion_is_a_link(client, indexed):
    html = client.get("/vi/search/", {"q": "long tongg"}).content.decode()
    assert "0 kết quả" in html
    assert 'href="?q=long+tong"' in html


def test_autocomplete_returns_visible_titles_as_json(client, indexed):
    response = client.get("/en/search/autocomplete/", {"q": "le hoi l"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["results"] == [
        {"title": "Lễ hội Lồng Tồng", "url": "/en/heritage/long-tong/", "type": "record"}
    ]
    assert client.get("/en/search/autocomplete/", {"q": "ho so th"}).json()["results"] == []


def test_autocomplete_for_officers_is_not_cached_publicly(client, indexed):
    officer = get_user_model().objects.create_superuser("root", password="pw")
    client.force_login(officer)
    response = client.get("/vi/search/autocomplete/", {"q": "ho so th"})
    assert [item["title"] for item in response.json()["results"]] == [
        "Hồ sơ thầy Then chưa công bố"
    ]
    assert "private" in response["Cache-Control"]


def test_editors_picks_per_language(client, indexed, article):
    query = Query.get("Sốt rét")
    SearchPromotion.objects.create(query=query, page=article, description="Đọc ngay", sort_order=0)
    khmer_only = Query.get("km: sot ret")
    SearchPromotion.objects.create(
        query=khmer_only, external_link_url="https://example.org/km", external_link_text="KM"
    )
    english = client.get("/en/search/", {"q": "sot ret"}).content.decode()
    assert "Editors&#x27; picks" in english or "Editors' picks" in english
    assert "Preventing malaria in the rainy season" in english
    assert "https://example.org/km" not in english
    khmer = client.get("/km/search/", {"q": "sốt rét"}).content.decode()
    assert "https://example.org/km" in khmer


def test_query_log_counts_searches_per_language_and_day_only(client, indexed):
    client.get("/vi/search/", {"q": "Sốt rét"})
    client.get("/vi/search/", {"q": "sốt  rét"})
    client.get("/vi/search/", {"q": "sốt rét", "page": "2"})
    client.get("/en/search/", {"q": "gọi 0912 345 678 hoặc a.b@mail.vn"})
    assert not QueryLog.objects.exists()  # counted in memory: a search writes nothing
    querylog.flush(force=True)
    fields = {field.name for field in QueryLog._meta.get_fields()}
    assert fields == {"id", "day", "language", "query", "searches", "results"}
    rows = {
        (row.language, row.query): (row.searches, row.results) for row in QueryLog.objects.all()
    }
    assert rows == {
        ("vi", "sốt rét"): (2, 1),
        ("en", "gọi [number] hoặc [email]"): (1, 0),
    }


def test_numbers_and_addresses_are_masked():
    assert normalise("CCCD 001 203 004 567") == "cccd [number]"
    assert normalise("Năm 2025") == "năm 2025"


def test_admin_report_lists_top_and_zero_result_queries(client, indexed):
    client.get("/vi/search/", {"q": "sốt rét"})
    client.get("/vi/search/", {"q": "không có gì"})
    querylog.flush(force=True)  # as a web process does within FLUSH_SECONDS
    url = reverse("search_query_report")
    editor = get_user_model().objects.create_user("editor", password="pw")
    client.force_login(editor)
    assert client.get(url).status_code in (302, 403)
    client.force_login(get_user_model().objects.create_superuser("root", password="pw"))
    html = client.get(url).content.decode()
    assert "sốt rét" in html
    assert "không có gì" in html


@pytest.mark.parametrize(
    "query", ['lễ "hội" OR NOT *', "a:b {c} (d) ^e -f", "'; DROP TABLE x; --", "sot\\ret", "!!!"]
)
def test_query_syntax_of_the_backends_is_plain_text(client, indexed, query):
    response = client.get("/vi/search/", {"q": query})
    assert response.status_code == 200
    assert client.get("/vi/search/autocomplete/", {"q": query}).status_code == 200


def test_unknown_language_searches_vietnamese(indexed):
    assert service.search("sốt rét", "xx", AnonymousUser()).total == 1


def test_a_filter_that_empties_the_results_can_be_removed(client, indexed):
    html = client.get("/vi/search/", {"q": "sốt rét", "type": "record"}).content.decode()
    assert "0 kết quả" in html
    assert 'href="?q=s%E1%BB%91t+r%C3%A9t" aria-current="true"' in html


def test_the_month_facet_follows_the_festival_into_each_year(archive):
    # The 20th of the 12th lunar month: early February in 2026, late January in 2027.
    record = HeritageRecordFactory(
        title="Lễ cúng cuối năm", date_rule="lunar", date_month=12, date_day=20
    )
    indexing.rebuild()
    document = SearchDocument.objects.get(object_id=record.pk, doc_type="record", language="vi")
    months = document.facet_rows.filter(value__token__startswith="month=")
    assert list(months.values_list("value__token", flat=True)) == [
        "month=lunar-12-20-0-1"
    ]  # the rule
    anonymous = AnonymousUser()
    this_year = record_months(record, timezone.localdate().year)
    results = service.search("lễ cúng", "vi", anonymous)
    assert [facet.value for facet in results.facets["month"]] == [str(m) for m in this_year]
    month = str(min(this_year))
    assert service.search("lễ cúng", "vi", anonymous, {"month": [month]}).total == 1
    other = str(min(set(range(1, 13)) - this_year))
    assert service.search("lễ cúng", "vi", anonymous, {"month": [other]}).total == 0
    # The same stored rule gives each year its own month (counted_facets, facet_tokens below).
    assert record_months(record, 2026) == {2} and record_months(record, 2027) == {1}


def test_a_date_rules_count_goes_to_each_of_its_months_in_the_year_asked():
    tokens = [
        ("month=lunar-12-20-0-1", 3),  # February 2026, January 2027
        ("month=gregorian-12-31-0-2", 2),  # 31 December and 1 January
        ("month=season-11-2", 4),
        ("kind=festival", 9),
    ]
    assert counted_facets(tokens, 2027) == {
        "month": {"1": 3 + 2 + 4, "2": 4, "11": 4, "12": 2 + 4},
        "kind": {"festival": 9},
    }
    assert counted_facets(tokens, 2026)["month"]["2"] == 3 + 4


def test_a_month_is_the_rules_of_the_archive_that_fall_in_it(db):
    HeritageRecordFactory(date_rule="lunar", date_month=12, date_day=20)
    HeritageRecordFactory(date_rule="gregorian", date_month=12, date_day=31, duration_days=2)
    HeritageRecordFactory(date_rule="season", season_start_month=11, season_end_month=2)
    HeritageRecordFactory(date_rule="gregorian", date_month=6, date_day=1)
    assert facet_tokens("month", ["1"], 2027) == [
        "month=gregorian-12-31-0-2",
        "month=lunar-12-20-0-1",
        "month=season-11-2",
    ]
    assert facet_tokens("month", ["1"], 2026) == [
        "month=gregorian-12-31-0-2",
        "month=season-11-2",
    ]
    assert facet_tokens("month", ["6", "not a month"], 2026) == ["month=gregorian-6-1-0-1"]
    assert facet_tokens("kind", ["festival", "ritual"]) == ["kind=festival", "kind=ritual"]


def test_the_search_page_for_a_signed_in_reader_is_never_stored(client, indexed):
    anonymous = client.get("/vi/search/", {"q": "lễ hội"})
    assert anonymous.status_code == 200
    assert "Cache-Control" not in anonymous
    assert "Cookie" in anonymous["Vary"]
    public = client.get("/vi/search/autocomplete/", {"q": "le hoi l"})
    assert public["Cache-Control"] == "public, max-age=300"
    client.force_login(get_user_model().objects.create_user("reader", password="pw"))
    for response in (
        client.get("/vi/search/", {"q": "lễ hội"}),
        client.get("/vi/search/", {"q": "lễ hội", "month": "13"}),
        client.get("/vi/search/"),
        client.get("/vi/search/autocomplete/", {"q": "le hoi l"}),
    ):
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives
        assert "public" not in directives


def test_signed_in_searches_count_but_keep_the_anonymous_result_count(client, indexed):
    officer = get_user_model().objects.create_superuser("root", password="pw")
    client.get("/vi/search/", {"q": "lễ hội"})
    client.force_login(officer)
    client.get("/vi/search/", {"q": "lễ hội"})
    client.get("/vi/search/", {"q": "thầy then"})
    querylog.flush(force=True)
    rows = {row.query: (row.searches, row.results) for row in QueryLog.objects.all()}
    assert rows == {"lễ hội": (2, 1), "thầy then": (1, None)}
    client.logout()
    client.get("/vi/search/", {"q": "thầy then"})
    querylog.flush(force=True)
    rows = {row.query: (row.searches, row.results) for row in QueryLog.objects.all()}
    assert rows == {"lễ hội": (2, 1), "thầy then": (2, 0)}


def test_the_zero_results_report_does_not_learn_from_signed_in_searches(client, indexed):
    client.get("/vi/search/", {"q": "thầy then"})
    client.force_login(get_user_model().objects.create_superuser("root", password="pw"))
    client.get("/vi/search/", {"q": "thầy then"})
    client.get("/vi/search/", {"q": "hồ sơ"})
    querylog.flush(force=True)
    assert [row["query"] for row in querylog.zero_result_queries("vi")] == ["thầy then"]
    assert [(row["query"], row["total"]) for row in querylog.top_queries("vi")] == [
        ("thầy then", 2),
        ("hồ sơ", 1),
    ]
