"""Finding a request's site and page: the site looked up once per host, the page in one query."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from cms.languages import LANGUAGE_CODES
from tests.cms.factories import ArticlePageFactory, HomePageFactory, TopicIndexPageFactory


def site_queries(client, url: str) -> int:
    """How many times answering ``url`` looked for the site matching the request's host (the
    annotated query of ``wagtail.models.sites.get_site_for_hostname``)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return sum('CASE WHEN ("wagtailcore_site"."hostname"' in query["sql"] for query in captured)


def test_the_site_is_looked_up_on_the_first_request_of_a_host_only(client, article):
    assert site_queries(client, article.url_in("vi")) == 1
    assert site_queries(client, article.url_in("en")) == 0
    assert site_queries(client, "/vi/") == 0


def test_a_site_given_another_root_page_is_served_on_the_next_request(client, home, article):
    client.get(article.url_in("vi"))
    other = HomePageFactory(parent=Page.get_first_root_node(), title="Trang khác", slug="khac")
    site = Site.objects.get(is_default_site=True)
    site.root_page = other
    site.save()
    assert "Trang khác" in client.get("/vi/").content.decode()
    assert client.get(article.url_in("vi")).status_code == 404
    site.root_page = home
    site.save()
    assert client.get(article.url_in("vi")).status_code == 200


def test_a_new_site_for_another_host_is_served_on_its_next_request(client, article):
    client.get(article.url_in("vi"), HTTP_HOST="localhost")
    other = HomePageFactory(parent=Page.get_first_root_node(), title="Trang khác", slug="khac")
    Site.objects.create(hostname="localhost", port=80, root_page=other)
    assert "Trang khác" in client.get("/vi/", HTTP_HOST="localhost").content.decode()
    assert client.get(article.url_in("vi"), HTTP_HOST="localhost").status_code == 404
    assert client.get(article.url_in("vi")).status_code == 200


def test_a_renamed_root_page_routes_under_its_new_path_at_once(client, home, article):
    client.get(article.url_in("vi"))
    home.slug = "trang-chu-moi"
    home.save()
    assert client.get(article.url_in("vi")).status_code == 200


def test_an_article_is_found_with_one_query_below_the_site_root(client, health, article):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(article.url_in("vi")).status_code == 200
    page_queries = [
        query["sql"] for query in captured if query["sql"].startswith('SELECT "wagtailcore_page"')
    ]
    routing = [sql for sql in page_queries if '"url_path_vi" IN' in sql]
    assert len(routing) == 1
    deeper = TopicIndexPageFactory(parent=health, title="Mục con", slug="muc-con", topic="policy")
    inner = ArticlePageFactory(parent=deeper, title="Bài sâu hơn", slug="bai-sau-hon")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(inner.url_in("vi")).status_code == 200
    assert sum('"url_path_vi" IN' in query["sql"] for query in captured) == 1


def test_routing_reads_pages_by_an_index_of_each_languages_paths(db):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "wagtailcore_page")
    indexed = {tuple(details["columns"]) for details in constraints.values() if details["index"]}
    assert {code: (f"url_path_{code}",) in indexed for code in LANGUAGE_CODES} == dict.fromkeys(
        LANGUAGE_CODES, True
    )
    assert ("url_path",) not in indexed  # the control: Wagtail's own column has none
