"""The search page as readers meet it: a search box in the header of every page, results before
facets, months in calendar order and in the reader's language, records before captions."""

import pytest
from bs4 import BeautifulSoup

from heritage.festival_dates import DateRule
from search import indexing
from tests.heritage.factories import HeritageRecordFactory, RecordImageFactory

pytestmark = pytest.mark.django_db


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def _header_form(soup: BeautifulSoup):
    """The one search form of the page's header."""
    forms = soup.select("header.site-header form[role=search]")
    assert len(forms) == 1
    return forms[0]


@pytest.mark.parametrize(
    ("language", "path"),
    [
        ("vi", "/vi/"),
        ("en", "/en/"),
        ("vi", "/vi/suc-khoe/phong-chong-sot-ret-mua-mua/"),
        ("en", "/en/heritage/"),
        ("km", "/km/"),
        ("vi", "/vi/no-such-page/"),
    ],
)
def test_every_page_has_a_labelled_search_form_in_its_header(
    client, article, archive, language, path
):
    response = client.get(path)
    assert response.status_code == (404 if "no-such" in path else 200)
    form = _header_form(_soup(response))
    assert form["action"] == f"/{language}/search/"
    assert form["method"] == "get"
    field = form.select_one("input[type=search]")
    assert field["name"] == "q"
    label = form.select_one(f"label[for={field['id']}]")
    assert label.get_text(strip=True)
    assert form.select_one("button[type=submit]").get_text(strip=True)


def test_the_header_form_finds_without_javascript_in_the_readers_language(client, article):
    indexing.rebuild()
    form = _header_form(_soup(client.get("/en/")))
    field = form.select_one("input[type=search]")
    response = client.get(form["action"], {field["name"]: "malaria"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 result" in html
    assert 'href="/en/health/preventing-malaria-in-the-rainy-season/"' in html


def test_the_search_page_has_one_search_form_the_one_with_the_query(client, article):
    soup = _soup(client.get("/vi/search/", {"q": "sốt rét"}))
    forms = soup.select("form[role=search]")
    assert len(forms) == 1
    assert forms[0].find_parent("main") is not None
    assert forms[0].select_one("input[name=q]")["value"] == "sốt rét"
    assert soup.select_one("header.site-header nav") is not None


@pytest.fixture
def seasons(archive):
    """Festivals in months 1-4, 10-11 and 3, indexed: March has two, the others one."""
    HeritageRecordFactory(
        title="Lễ hội mùa xuân",
        date_rule=DateRule.SEASON,
        season_start_month=1,
        season_end_month=4,
    )
    HeritageRecordFactory(
        title="Lễ hội mùa cốm",
        date_rule=DateRule.SEASON,
        season_start_month=10,
        season_end_month=11,
    )
    HeritageRecordFactory(
        title="Lễ hội tháng ba",
        date_rule=DateRule.SEASON,
        season_start_month=3,
        season_end_month=3,
    )
    indexing.rebuild()


def _facet(soup: BeautifulSoup, name: str) -> list:
    """The links (or plain values) of facet ``name``."""
    return soup.select(f".search-facets [data-facet={name}] li > :first-child")


def test_results_come_before_the_facets(client, seasons):
    html = client.get("/vi/search/", {"q": "lễ hội"}).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.select(".search-results .search-hit")) == 3
    assert len(_facet(soup, "month")) == 6
    assert html.index('class="search-results"') < html.index('class="search-facets"')
    jump = soup.select_one('a[href="#search-facets"]')
    assert jump is not None
    assert soup.select_one("#search-facets") is not None


@pytest.mark.parametrize(
    ("language", "names", "lang"),
    [
        ("vi", ["Tháng 1", "Tháng 2", "Tháng 3", "Tháng 4", "Tháng 10", "Tháng 11"], None),
        ("en", ["January", "February", "March", "April", "October", "November"], None),
        ("km", ["មករា", "កុម្ភៈ", "មីនា", "មេសា", "តុលា", "វិច្ឆិកា"], None),
        ("hmn", ["Tháng 1", "Tháng 2", "Tháng 3", "Tháng 4", "Tháng 10", "Tháng 11"], "vi"),
        ("blt", ["Tháng 1", "Tháng 2", "Tháng 3", "Tháng 4", "Tháng 10", "Tháng 11"], "vi"),
    ],
)
def test_months_are_listed_in_calendar_order_named_in_the_readers_language(
    client, seasons, language, names, lang
):
    soup = _soup(client.get(f"/{language}/search/", {"q": "le hoi"}))
    links = _facet(soup, "month")
    assert [link.get_text(strip=True) for link in links] == names
    assert [link.get("lang") for link in links] == [lang] * 6
    counts = [link.find_next_sibling(class_="count").get_text(strip=True) for link in links]
    assert counts == ["1", "1", "2", "1", "1", "1"]
    march = links[2]
    assert march["href"] == "?q=le+hoi&month=3"


def test_a_selected_month_stays_in_its_place(client, seasons):
    soup = _soup(client.get("/en/search/", {"q": "le hoi", "month": "10"}))
    links = _facet(soup, "month")
    assert [link.get_text(strip=True) for link in links] == ["✓ October", "November"]
    assert links[0]["aria-current"] == "true"


def test_a_record_comes_before_a_photo_captioned_with_its_title_for_le_hoi(client, archive):
    # The caption is shorter than the record, so relevance alone would put it first.
    record = HeritageRecordFactory(
        title="Lễ hội Lồng Tồng",
        slug="long-tong",
        summary=(
            "Người Tày ở các tỉnh miền núi phía Bắc mở hội xuống đồng vào tháng Giêng, cầu "
            "mưa thuận gió hòa, mùa màng bội thu; có tung còn, kéo co, hát then và đàn tính."
        ),
    )
    RecordImageFactory(record=record, caption="Lễ hội Lồng Tồng")
    indexing.rebuild()
    soup = _soup(client.get("/vi/search/", {"q": "le hoi"}))
    hits = soup.select(".search-results .search-hit")
    assert [hit["class"][1] for hit in hits] == ["search-hit-record", "search-hit-media"]
    assert hits[0].h2.a["href"] == "/vi/di-san/long-tong/"
