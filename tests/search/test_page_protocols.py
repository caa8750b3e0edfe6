"""The search page and the autocomplete, as each kind of user of the permission matrix sees
them: hidden titles never in the page, counts exact; editors' picks only of pages and records
the reader could open right now."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

from cms.topics import Topic
from heritage.models import HeritageKind
from heritage.signal_handlers import CULTURAL_OFFICERS
from search import indexing
from search.models import DocumentType
from tests.cms.factories import ArticlePageFactory, TopicIndexPageFactory
from tests.heritage.matrix import MATRIX, PROTOCOLS

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(world, archive):
    """The permission matrix's records, all about "xuân", indexed."""
    indexing.rebuild()
    return world


def sign_in(client, people, person):
    if person != "anonymous":
        client.force_login(people[person])


def plain(html):
    return re.sub(r"<[^>]+>", "", html)


def hit_titles(body):
    return [plain(title) for title in re.findall(r"<h2><a href=\"[^\"]*\">(.*?)</a></h2>", body)]


def total(body):
    (shown,) = re.findall(r'<p class="search-total" role="status">(.*?)</p>', body)
    return shown


def facet_counts(body):
    found = re.findall(r'>(?:✓ )?([^<>]+)</a> <span class="count">(\d+)</span>', body)
    return {label: int(count) for label, count in found}


def labels():
    with translation.override("vi"):
        return str(DocumentType.RECORD.label), str(HeritageKind.FESTIVAL.label)


@pytest.mark.parametrize("person", MATRIX)
def test_the_search_page_shows_and_counts_only_what_the_reader_may_see(client, indexed, person):
    people, records = indexed
    sign_in(client, people, person)
    response = client.get("/vi/search/", {"q": "xuân"})
    body = response.content.decode()
    expected = sorted(records[protocol].title for protocol in MATRIX[person])
    assert response.status_code == 200
    assert sorted(hit_titles(body)) == expected
    assert total(body) == f"{len(expected)} kết quả"
    record_label, festival_label = labels()
    assert facet_counts(body) == {record_label: len(expected), festival_label: len(expected)}
    for protocol in PROTOCOLS:
        assert (records[protocol].title in body) == (protocol in MATRIX[person]), protocol


@pytest.mark.parametrize("person", MATRIX)
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_searching_a_title_finds_it_only_for_those_who_may_see_it(
    client, indexed, person, protocol
):
    people, records = indexed
    sign_in(client, people, person)
    title = records[protocol].title
    body = client.get("/vi/search/", {"q": title}).content.decode()
    visible = protocol in MATRIX[person]
    assert hit_titles(body) == ([title] if visible else [])
    assert total(body) == ("1 kết quả" if visible else "0 kết quả")
    record_label, _festival = labels()
    assert facet_counts(body).get(record_label, 0) == (1 if visible else 0)


@pytest.mark.parametrize("person", MATRIX)
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_the_autocomplete_offers_only_titles_the_reader_may_see(client, indexed, person, protocol):
    people, records = indexed
    sign_in(client, people, person)
    title = records[protocol].title
    answer = client.get("/vi/search/autocomplete/", {"q": title[:-2]})
    offered = [item["title"] for item in answer.json()["results"]]
    assert answer.status_code == 200
    assert offered == ([title] if protocol in MATRIX[person] else [])


PAGES = {
    "public": "Trang xuân công khai",
    "login": "Trang xuân cần đăng nhập",
    "login_section": "Trang xuân trong mục cần đăng nhập",
    "officers": "Trang xuân cho cán bộ văn hóa",
    "password": "Trang xuân có mật khẩu",
    "draft": "Trang xuân chưa xuất bản",
}
EXTERNAL = "Trang ngoài về mùa xuân"


@pytest.fixture
def picks(indexed, health, home):
    """A promotion for "xuân" per kind of page restriction and per record, and an external one."""
    _people, records = indexed
    pages = {
        name: ArticlePageFactory(parent=health, title=title, slug=f"trang-{name}")
        for name, title in PAGES.items()
        if name != "login_section"
    }
    section = TopicIndexPageFactory(
        parent=home, topic=Topic.POLICY, title="Chính sách", slug="chinh-sach", slug_en="policy"
    )
    pages["login_section"] = ArticlePageFactory(
        parent=section, title=PAGES["login_section"], slug="trang-login-section"
    )
    pages["draft"].unpublish()
    PageViewRestriction.objects.create(page=pages["login"], restriction_type="login")
    PageViewRestriction.objects.create(page=section, restriction_type="login")
    officers = PageViewRestriction.objects.create(page=pages["officers"], restriction_type="groups")
    officers.groups.add(Group.objects.get(name=CULTURAL_OFFICERS))
    password = PageViewRestriction.objects.create(
        page=pages["password"], restriction_type="password", password="mua-xuan"
    )
    query = Query.get("xuân")
    for order, page in enumerate(pages.values()):
        SearchPromotion.objects.create(query=query, page=page, sort_order=order)
    for order, protocol in enumerate(PROTOCOLS, start=len(pages)):
        slug = records[protocol].slug
        url = (
            f"/vi/di-san/{slug}/"
            if protocol != "secret"
            else f"http://testserver/en/heritage/{slug}/"
        )
        SearchPromotion.objects.create(
            query=query,
            external_link_url=url,
            external_link_text=f"Xem {records[protocol].title}",
            sort_order=order,
        )
    SearchPromotion.objects.create(
        query=query, external_link_url="https://example.org/xuan", external_link_text=EXTERNAL
    )
    return pages, password


def shown_picks(body):
    section = re.search(r'<section class="search-picks".*?</section>', body, re.S)
    if section is None:
        return {}
    return {
        plain(text): href
        for href, text in re.findall(r'<li><a href="([^"]*)">(.*?)</a>', section.group())
    }


@pytest.mark.parametrize("person", MATRIX)
def test_editors_picks_show_only_what_the_reader_could_open(client, picks, indexed, person):
    people, records = indexed
    sign_in(client, people, person)
    shown = shown_picks(client.get("/vi/search/", {"q": "xuân"}).content.decode())
    signed_in = person != "anonymous"
    officer = person in ("officer", "superuser")
    expected = {PAGES["public"], EXTERNAL}
    expected |= {PAGES["login"], PAGES["login_section"]} if signed_in else set()
    expected |= {PAGES["officers"]} if officer else set()
    expected |= {f"Xem {records[protocol].title}" for protocol in MATRIX[person]}
    assert set(shown) == expected
    for title, href in shown.items():
        if href.startswith("/") or href.startswith("http://testserver/"):
            assert client.get(href).status_code == 200, title


def test_a_password_protected_pick_is_shown_once_the_password_is_given(client, picks):
    pages, password = picks
    assert PAGES["password"] not in shown_picks(
        client.get("/vi/search/", {"q": "xuân"}).content.decode()
    )
    url = reverse(
        "wagtailcore_authenticate_with_password", args=[password.pk, pages["password"].pk]
    )
    client.post(url, {"password": "mua-xuan", "return_url": "/vi/"})
    response = client.get("/vi/search/", {"q": "xuân"})
    assert PAGES["password"] in shown_picks(response.content.decode())
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
