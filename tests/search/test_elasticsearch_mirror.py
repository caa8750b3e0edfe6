"""What reaches Elasticsearch when the index is rebuilt or content changes, and how searches
read its answers: against a local endpoint speaking its protocol (see ``fake_elasticsearch``)."""

import unicodedata

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType

from cms.languages import LANGUAGE_CODES
from heritage.audience import user_audience
from heritage.models import HeritageRecord
from search import indexing, service
from search.analysis import query_exact_terms, query_terms
from search.elastic import client, queries, schema
from tests.search.fake_elasticsearch import FakeCluster

pytestmark = pytest.mark.django_db

ALIAS = "banlang_test_search"


@pytest.fixture
def cluster(settings):
    with FakeCluster() as fake:
        settings.SEARCH_ELASTICSEARCH = {"URL": fake.url, "INDEX": ALIAS, "REPLICAS": 0}
        yield fake


def created_indexes(fake):
    return [
        path.strip("/")
        for method, path, _raw in fake.requests
        if method == "PUT" and "/_" not in path
    ]


def test_a_rebuild_fills_a_fresh_index_then_moves_the_alias_to_it(cluster, world, archive):
    indexing.rebuild()
    (first,) = created_indexes(cluster)
    assert first.startswith(f"{ALIAS}_")
    assert cluster.sent("PUT", f"/{first}") == [schema.index_body(icu=False, replicas=0)]
    documents = [doc for op, _meta, doc in cluster.bulk_actions() if op == "index"]
    public = [doc for doc in documents if doc["title"] == "Lễ hội Lồng Tồng"]
    assert {doc["language"] for doc in public} == set(LANGUAGE_CODES)
    assert public[0]["title_folded"] == "le hoi long tong"
    assert public[0]["audience"] == ["public"]
    secret = next(doc for doc in documents if doc["title"] == "Nghi lễ Cấp Sắc bí truyền")
    assert secret["audience"] == [f"user:{world[0]['custodian'].pk}"]
    assert cluster.aliases == {first: ALIAS}

    indexing.rebuild()
    second = created_indexes(cluster)[1]
    assert cluster.aliases == {second: ALIAS}
    assert ("DELETE", f"/{first}", "") in cluster.requests
    assert client.usable()


def test_icu_analysers_when_the_cluster_has_the_plugin(settings, world, archive):
    with FakeCluster(plugins=["analysis-icu"]) as fake:
        settings.SEARCH_ELASTICSEARCH = {"URL": fake.url, "INDEX": ALIAS, "REPLICAS": 0}
        indexing.rebuild()
    (index,) = created_indexes(fake)
    assert fake.sent("PUT", f"/{index}") == [schema.index_body(icu=True, replicas=0)]


def test_a_change_is_sent_once_committed_and_a_withdrawn_record_deleted(
    cluster, world, archive, django_capture_on_commit_callbacks
):
    record = world[1]["public"]
    with django_capture_on_commit_callbacks(execute=True):
        record.title = "Lễ hội Lồng Tồng ở Tuyên Quang"
        record.save()
    sent = [(op, meta["_id"], doc) for op, meta, doc in cluster.bulk_actions()]
    content_type = ContentType.objects.get_for_model(HeritageRecord).pk
    titles = {doc["title"] for op, _id, doc in sent if op == "index"}
    assert titles == {"Lễ hội Lồng Tồng ở Tuyên Quang"}
    assert {key for op, key, _doc in sent if op == "index"} == {
        f"{content_type}.{record.pk}.{code}" for code in LANGUAGE_CODES
    }

    cluster.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        record.unpublish()
    deleted = {meta["_id"] for op, meta, _doc in cluster.bulk_actions() if op == "delete"}
    assert deleted == {f"{content_type}.{record.pk}.{code}" for code in LANGUAGE_CODES}


def test_deleted_content_leaves_the_cluster_too(
    cluster, world, archive, django_capture_on_commit_callbacks
):
    record = world[1]["restricted"]
    pk = record.pk
    content_type = ContentType.objects.get_for_model(HeritageRecord).pk
    with django_capture_on_commit_callbacks(execute=True):
        record.delete()
    deleted = {meta["_id"] for op, meta, _doc in cluster.bulk_actions() if op == "delete"}
    assert deleted == {f"{content_type}.{pk}.{code}" for code in LANGUAGE_CODES}


def test_a_search_sends_one_query_and_shows_what_it_answers(cluster, world):
    people, records = world
    record = records["public"]
    cluster.answers[("POST", f"/{ALIAS}/_search")] = (
        200,
        {
            "took": 3,
            "timed_out": False,
            "hits": {
                "total": {"value": 1, "relation": "eq"},
                "max_score": None,
                "hits": [
                    {
                        "_id": "1.1.vi",
                        "_score": 7.5,
                        "_source": {
                            "document_id": 1,
                            "title": record.title,
                            "url": "/vi/di-san/long-tong/",
                            "text": "Hội xuống đồng của người Tày.",
                            "doc_type": "record",
                            "language": "vi",
                            "fallback": False,
                        },
                    }
                ],
            },
            "aggregations": {"facets": {"buckets": [{"key": "type=record", "doc_count": 1}]}},
        },
    )
    typed = unicodedata.normalize("NFD", "lễ hội")
    results = service.search(typed, "vi", people["member"], {"type": ["record"]})
    (body,) = cluster.sent("POST", f"/{ALIAS}/_search")
    query = queries.matching(
        "vi",
        query_terms(typed),
        query_exact_terms(typed),
        user_audience(people["member"]),
        {"type": ["record"]},
        "lễ hội",
    )
    assert body == queries.search_body(query, 0, service.PER_PAGE)
    assert results.total == 1 and results.notice == ""
    (hit,) = results.hits
    assert hit.title == "<mark>Lễ</mark> <mark>hội</mark> Lồng Tồng"
    assert hit.url == "/vi/di-san/long-tong/"
    assert [(f.value, f.count, f.selected) for f in results.facets["type"]] == [("record", 1, True)]


def test_autocomplete_reads_titles_from_the_cluster(cluster):
    cluster.answers[("POST", f"/{ALIAS}/_search")] = (
        200,
        {
            "hits": {
                "total": {"value": 1, "relation": "eq"},
                "hits": [
                    {
                        "_id": "1.1.vi",
                        "_score": None,
                        "_source": {
                            "title": "Lễ hội Gầu Tào",
                            "url": "/vi/x/",
                            "doc_type": "record",
                        },
                    }
                ],
            }
        },
    )
    (offered,) = service.autocomplete("le hoi ga", "vi", AnonymousUser())
    assert offered.title == "Lễ hội Gầu Tào"
    (body,) = cluster.sent("POST", f"/{ALIAS}/_search")
    assert body == queries.autocomplete_body("vi", ["le", "hoi"], "ga", ["public"], 8)
