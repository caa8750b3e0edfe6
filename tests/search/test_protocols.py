"""Protocols inside the search query: results, totals, facets, autocomplete, suggestions."""

from contextlib import contextmanager

import pytest

from heritage.models import HeritageRecord
from heritage.protocols import CulturalProtocol
from search import indexing, service
from tests.heritage.factories import HeritageRecordFactory, RecordImageFactory
from tests.heritage.matrix import MATRIX, PROTOCOLS
from tests.heritage.test_audience import tell
from tests.search.clusters import BACKENDS, searching_on
from tests.search.fake_elasticsearch import FakeCluster

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(world, archive):
    """The permission matrix's records, all about "xuân", indexed."""
    indexing.rebuild()
    return world


@pytest.fixture(params=BACKENDS)
def indexed_on(request, world, archive):
    """``indexed``, on each backend."""
    with searching_on(request.param):
        indexing.rebuild()
        yield world


def titles(results):
    return {str(hit.title).replace("<mark>", "").replace("</mark>", "") for hit in results.hits}


@pytest.mark.parametrize("person", MATRIX)
def test_results_totals_and_facets_show_only_what_the_reader_may_see(indexed_on, person):
    people, records = indexed_on
    results = service.search("xuân", "vi", people[person])
    expected = {records[protocol].title for protocol in MATRIX[person]}
    assert not results.notice, "the configured backend did not answer"
    assert titles(results) == expected
    assert results.total == len(expected)
    assert {facet.value: facet.count for facet in results.facets["type"]} == {
        "record": len(expected)
    }
    assert sum(facet.count for facet in results.facets["kind"]) == len(expected)


@pytest.mark.parametrize("person", MATRIX)
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_autocomplete_offers_only_visible_titles(indexed_on, person, protocol):
    people, records = indexed_on
    title = records[protocol].title
    offered = {item.title for item in service.autocomplete(title[:-2], "en", people[person])}
    assert (title in offered) == (protocol in MATRIX[person])


@pytest.mark.parametrize("person", MATRIX)
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_searching_a_hidden_title_reveals_nothing(indexed_on, person, protocol):
    people, records = indexed_on
    results = service.search(records[protocol].title, "km", people[person])
    visible = protocol in MATRIX[person]
    assert (results.total > 0) == visible
    assert bool(results.facets["type"]) == visible


def test_suggestions_never_lead_to_hidden_records(indexed_on):
    people, _records = indexed_on
    anonymous = service.search("thầy Thenn", "vi", people["anonymous"])
    assert anonymous.total == 0
    assert all("then" not in suggestion.query for suggestion in anonymous.suggestions)
    officer = service.search("thầy Thenn", "vi", people["officer"])
    assert officer.suggestions[0].query == "thay then"


def test_first_page_is_full_when_hidden_records_match_too(world, archive):
    people, _records = world
    for number in range(12):
        HeritageRecordFactory(title=f"Hồ sơ kín {number}", protocol=CulturalProtocol.RESTRICTED)
        HeritageRecordFactory(title=f"Hồ sơ công khai {number}")
    indexing.rebuild()
    results = service.search("hồ sơ", "vi", people["anonymous"], per_page=10)
    assert len(results.hits) == 10
    assert results.total == 12
    assert results.num_pages == 2
    assert len(service.search("hồ sơ", "vi", people["anonymous"], page=2).hits) == 2
    assert not any(
        "kín" in str(hit.title)
        for page in (1, 2)
        for hit in service.search("hồ sơ", "vi", people["anonymous"], page=page).hits
    )


def test_protocol_change_applies_before_the_index_is_updated(indexed):
    people, records = indexed
    HeritageRecord.objects.filter(pk=records["public"].pk).update(
        protocol=CulturalProtocol.RESTRICTED
    )
    assert service.search("Lồng Tồng", "vi", people["anonymous"]).total == 0
    assert service.search("Lồng Tồng", "vi", people["officer"]).total == 1
    HeritageRecord.objects.filter(pk=records["public"].pk).update(live=False)
    assert service.search("Lồng Tồng", "vi", people["superuser"]).total == 0


def test_media_item_keeps_its_own_protocol(indexed):
    people, records = indexed
    RecordImageFactory(
        record=records["public"],
        caption="Ảnh bàn thờ tổ tiên",
        protocol=CulturalProtocol.RESTRICTED,
    )
    indexing.rebuild()
    assert service.search("bàn thờ", "vi", people["anonymous"]).total == 0
    assert service.search("ban tho", "vi", people["member"]).total == 0
    found = service.search("bàn thờ", "vi", people["officer"])
    assert [hit.doc_type for hit in found.hits] == ["media"]
    assert found.facets["media_type"][0].value == "image"


def test_narratives_open_to_all_the_records_readers_are_searchable(indexed):
    people, records = indexed
    tell(records["public"], "Người già kể chuyện con trâu vàng dưới suối")
    tell(records["secret"], "Bài khấn gọi hồn lúa", CulturalProtocol.SECRET_SACRED)
    indexing.rebuild()
    for who in ("anonymous", "member", "officer"):
        found = service.search("trâu vàng", "vi", people[who])
        assert titles(found) == {records["public"].title}, who
    assert service.search("goi hon lua", "vi", people["anonymous"]).total == 0
    assert service.search("goi hon lua", "vi", people["officer"]).total == 0
    assert titles(service.search("goi hon lua", "vi", people["custodian"])) == {
        records["secret"].title
    }


def test_a_narrative_narrower_than_its_record_stays_out_of_search(indexed):
    people, records = indexed
    village = records["community"].communities.get()
    tell(records["public"], "Lời cúng riêng của bản", CulturalProtocol.COMMUNITY, village)
    tell(records["public"], "Ghi chép của cán bộ về thầy mo", CulturalProtocol.RESTRICTED)
    indexing.rebuild()
    for who in MATRIX:
        assert service.search("lời cúng riêng", "vi", people[who]).total == 0, who
        assert service.search("thầy mo", "vi", people[who]).total == 0, who


STALE_BACKENDS = [
    "database",
    "fake-elasticsearch",
    pytest.param("elasticsearch", marks=pytest.mark.elasticsearch),
]


@contextmanager
def indexed_and_left_behind(backend, settings, title):
    """Everything indexed on ``backend``; for the fake cluster, it then answers every search
    with the documents titled ``title`` as it holds them, as a real cluster would until the
    worker indexes them again."""
    if backend != "fake-elasticsearch":
        with searching_on(backend):
            indexing.rebuild()
            yield
        return
    with FakeCluster() as fake:
        settings.SEARCH_ELASTICSEARCH = {"URL": fake.url, "INDEX": "banlang_stale", "REPLICAS": 0}
        indexing.rebuild()
        fake.answer_searches_with(
            [doc for doc in fake.held() if doc["title"] == title and doc["language"] == "vi"]
        )
        yield


@pytest.mark.parametrize("backend", STALE_BACKENDS)
def test_a_record_made_secret_is_hidden_before_it_is_indexed_again(
    world, archive, settings, backend
):
    people, records = world
    record = records["public"]
    with indexed_and_left_behind(backend, settings, record.title):
        # What an editor's change does before the worker has re-indexed anything.
        HeritageRecord.objects.filter(pk=record.pk).update(protocol=CulturalProtocol.SECRET_SACRED)
        HeritageRecord.custodians.through.objects.create(
            heritagerecord=record, user=people["custodian"]
        )
        for who in ("anonymous", "reader", "officer"):
            found = service.search("Lồng Tồng", "vi", people[who])
            assert not found.notice, "the configured backend did not answer"
            assert (titles(found), found.total) == (set(), 0), who
            assert {name: values for name, values in found.facets.items() if values} == {}, who
            assert service.autocomplete("lễ hội lồng tồ", "vi", people[who]) == [], who
        kept = service.search("Lồng Tồng", "vi", people["custodian"])
        assert (titles(kept), kept.total) == ({record.title}, 1)
        assert [(facet.value, facet.count) for facet in kept.facets["type"]] == [("record", 1)]
        offered = service.autocomplete("lễ hội lồng tồ", "vi", people["custodian"])
        assert [item.title for item in offered] == [record.title]
