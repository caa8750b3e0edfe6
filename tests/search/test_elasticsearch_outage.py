"""A cluster that hangs, refuses or fails: the database answers, with a notice, and a cluster
that missed a change is not trusted again until a rebuild."""

import socket

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from search import indexing, service
from search.elastic import client
from tests.search.fake_elasticsearch import FakeCluster, SilentListener

pytestmark = pytest.mark.django_db

NOTICE_EN = "The main search service is not answering"


@pytest.fixture
def indexed(world, archive):
    indexing.rebuild()
    return world


def point_at(settings, url):
    settings.SEARCH_ELASTICSEARCH = {"URL": url, "INDEX": "banlang_test_search"}


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def titles(results):
    return {str(hit.title).replace("<mark>", "").replace("</mark>", "") for hit in results.hits}


def test_requests_time_out_after_two_seconds(settings):
    point_at(settings, "http://127.0.0.1:9")
    assert client.options()["TIMEOUT"] == 2.0
    assert client.backend().timeout == 2.0


def test_a_hung_cluster_costs_one_timeout_then_the_database_answers(settings, indexed):
    with SilentListener() as hung:
        point_at(settings, hung.url)
        with translation.override("en"):
            first = service.search("xuân", "vi", AnonymousUser())
        assert titles(first) == {"Lễ hội Lồng Tồng"}
        assert first.total == 1
        assert first.notice.startswith(NOTICE_EN)
        assert len(hung.connections) == 1

        again = service.search("lồng tồng", "vi", AnonymousUser())
        offered = service.autocomplete("lễ hội lồ", "vi", AnonymousUser())
        assert titles(again) == {"Lễ hội Lồng Tồng"} and again.notice
        assert [item.title for item in offered] == ["Lễ hội Lồng Tồng"]
        assert len(hung.connections) == 1


def test_the_search_page_says_the_backup_answered(settings, client, indexed):
    point_at(settings, f"http://127.0.0.1:{closed_port()}")
    page = client.get("/en/search/", {"q": "xuan"})
    assert page.status_code == 200
    body = page.content.decode()
    assert NOTICE_EN in body
    assert "Lễ hội Lồng Tồng" in body
    assert "Nghi lễ Cấp Sắc bí truyền" not in body


def test_a_missed_change_keeps_searches_on_the_database_until_a_rebuild(
    settings, indexed, django_capture_on_commit_callbacks
):
    _people, records = indexed
    with FakeCluster() as fake:
        point_at(settings, fake.url)
        fake.answers[("PUT", r"/banlang_test_search/_bulk")] = (503, {"error": "unavailable"})
        fake.answers[("POST", r"/banlang_test_search/_bulk")] = (503, {"error": "unavailable"})
        with django_capture_on_commit_callbacks(execute=True):
            records["public"].protocol = "secret"
            records["public"].save()
        assert not client.usable()
        fake.requests.clear()
        results = service.search("xuân", "vi", AnonymousUser())
        assert results.total == 0 and results.notice
        assert not fake.sent("POST", r"/banlang_test_search/_search")

        del fake.answers[("PUT", r"/banlang_test_search/_bulk")]
        del fake.answers[("POST", r"/banlang_test_search/_bulk")]
        indexing.rebuild()
        assert client.usable()
