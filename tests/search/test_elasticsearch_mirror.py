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
from search.analysis import AutocompleteQuery, query_words
from search.elastic import client, queries, schema, searching
from tests.heritage.factories import HeritageRecordFactory
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


def vi_documents(cluster, titles):
    """The Vietnamese documents the cluster holds with these titles, in this order."""
    held = {doc["title"]: doc for doc in cluster.held() if doc["language"] == "vi"}
    return [held[title] for title in titles]


def test_a_search_sends_one_query_and_shows_what_it_answers(cluster, world, archive):
    people, records = world
    record = records["public"]
    indexing.rebuild()
    cluster.answer_searches_with(vi_documents(cluster, [record.title]))
    typed = unicodedata.normalize("NFD", "lễ hội")
    results = service.search(typed, "vi", people["member"], {"type": ["record"]})
    (body,) = cluster.sent("POST", f"/{ALIAS}/_search")
    query = queries.matching(
        "vi",
        query_words(typed),
        user_audience(people["member"]),
        {"type": ["record"]},
        "lễ hội",
    )
    assert body == queries.search_body(query, 0, searching.window(0, service.PER_PAGE))
    assert body["_source"] == ["document_id", "facets"]
    assert results.total == 1 and results.notice == ""
    (hit,) = results.hits
    assert hit.title == "<mark>Lễ</mark> <mark>hội</mark> Lồng Tồng"
    assert hit.url == f"/vi/di-san/{record.slug}/"
    assert [(f.value, f.count, f.selected) for f in results.facets["type"]] == [("record", 1, True)]


def test_autocomplete_reads_titles_from_the_cluster(cluster, archive):
    HeritageRecordFactory(title="Lễ hội Gầu Tào", slug="gau-tao")
    indexing.rebuild()
    cluster.answer_searches_with(vi_documents(cluster, ["Lễ hội Gầu Tào"]))
    (offered,) = service.autocomplete("le hoi ga", "vi", AnonymousUser())
    assert (offered.title, offered.url) == ("Lễ hội Gầu Tào", "/vi/di-san/gau-tao/")
    (body,) = cluster.sent("POST", f"/{ALIAS}/_search")
    typed = AutocompleteQuery([("le",), ("hoi",)], ("ga",))
    assert body == queries.autocomplete_body("vi", typed, ["public"], 16)
    assert body["_source"] == ["document_id"]


def test_hits_the_database_now_hides_are_dropped_and_the_page_refilled(cluster, world, archive):
    people, _records = world
    titles = [f"Hồ sơ mùa màng {number}" for number in range(12)]
    for number, title in enumerate(titles):
        HeritageRecordFactory(title=title, slug=f"mua-mang-{number}")
    indexing.rebuild()
    cluster.answer_searches_with(vi_documents(cluster, titles))
    HeritageRecord.objects.filter(slug__in=["mua-mang-0", "mua-mang-5"]).update(
        protocol="restricted"
    )

    def shown(results):
        return [str(hit.title).replace("<mark>", "").replace("</mark>", "") for hit in results.hits]

    anonymous = service.search("mùa màng", "vi", people["anonymous"])
    visible = [title for number, title in enumerate(titles) if number not in (0, 5)]
    assert shown(anonymous) == visible
    assert (anonymous.total, anonymous.num_pages) == (10, 1)
    assert [(f.value, f.count) for f in anonymous.facets["kind"]] == [("festival", 10)]
    last = service.search("mùa màng", "vi", people["anonymous"], page=2)
    assert (last.page, shown(last)) == (1, visible)
    officer = [service.search("mùa màng", "vi", people["officer"], page=n) for n in (1, 2)]
    assert [shown(page) for page in officer] == [titles[:10], titles[10:]]
    assert officer[0].total == 12
    sizes = [body["size"] for body in cluster.sent("POST", f"/{ALIAS}/_search")]
    assert sizes == [searching.window(0, 10), searching.window(10, 10)] * 2
