"""Keeping the index up to date: publishing, unpublishing, editing and deleting, in tasks."""

from itertools import pairwise

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult
from wagtail_factories import ImageFactory

from cms.languages import LANGUAGE_CODES
from cms.models import TranslationStatus
from heritage.models import EthnicGroup, HeritageRecord, RecordMedia
from heritage.protocols import CulturalProtocol
from search import indexing, service
from search.backends import LOCK_SECONDS, next_batch_size
from search.documents import SOURCE_BY_MODEL
from search.models import IndexRow, SearchDocument
from tests.cms.factories import TopicIndexPageFactory
from tests.heritage.factories import (
    CommunityGroupFactory,
    CommunityNarrativeFactory,
    HeritageRecordFactory,
    RecordImageFactory,
)
from tests.heritage.imports import imported
from tests.heritage.test_import import festival, write_csv

pytestmark = pytest.mark.django_db


def found(query, language="vi"):
    results = service.search(query, language, AnonymousUser())
    return [str(hit.title).replace("<mark>", "").replace("</mark>", "") for hit in results.hits]


def publish(page):
    page.save_revision().publish()


def test_published_article_is_indexed_once_per_language(
    health, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish(article)
    documents = SearchDocument.objects.filter(object_id=article.pk, doc_type="article")
    assert sorted(documents.values_list("language", flat=True)) == sorted(LANGUAGE_CODES)
    fallbacks = dict(documents.values_list("language", "fallback"))
    assert fallbacks["vi"] is False
    assert fallbacks["en"] is False
    assert fallbacks["km"] is True
    assert IndexRow.objects.count() == len(LANGUAGE_CODES)
    assert found("malaria", "en") == ["Preventing malaria in the rainy season"]
    assert found("sot ret", "km") == ["Phòng chống sốt rét mùa mưa"]
    tokens = documents.get(language="vi").facet_rows.values_list("value__token", flat=True)
    assert "topic=health" in tokens and "type=article" in tokens


def test_unpublished_and_deleted_pages_leave_the_index(
    health, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish(article)
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    assert found("sốt rét") == []
    assert not SearchDocument.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        publish(article)
    assert found("sốt rét")
    article.delete()
    assert not SearchDocument.objects.exists()
    assert not IndexRow.objects.exists()


def test_record_edits_are_indexed(archive, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = HeritageRecordFactory(title="Lễ hội Lồng Tồng")
    assert found("long tong") == ["Lễ hội Lồng Tồng"]
    with django_capture_on_commit_callbacks(execute=True):
        record.title = "Lễ xuống đồng"
        record.save()
    assert found("long tong") == []
    assert found("xuong dong") == ["Lễ xuống đồng"]
    with django_capture_on_commit_callbacks(execute=True):
        record.ethnic_groups.add(EthnicGroup.objects.get(code="02"))
    results = service.search("xuống đồng", "vi", AnonymousUser())
    assert [facet.value for facet in results.facets["ethnic_group"]] == ["02"]
    assert found("tày") == ["Lễ xuống đồng"]


def test_record_media_follow_their_record(archive, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = HeritageRecordFactory(title="Lễ hội Lồng Tồng", slug="long-tong")
        RecordImageFactory(record=record, caption="Múa xòe")
    assert found("múa xòe") == ["Múa xòe"]
    assert SearchDocument.objects.get(doc_type="media", language="en").url.startswith(
        "/en/heritage/long-tong/#media-"
    )
    with django_capture_on_commit_callbacks(execute=True):
        record.delete()
    assert not SearchDocument.objects.exists()
    assert not IndexRow.objects.exists()


def test_draft_records_are_not_found(archive, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = HeritageRecordFactory(title="Lễ hội Lồng Tồng")
    with django_capture_on_commit_callbacks(execute=True):
        record.live = False
        record.save()
    assert not SearchDocument.objects.filter(record=record).exists()


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_publishing_only_queues_indexing(health, article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(article)
    assert not SearchDocument.objects.exists()
    queued = DBTaskResult.objects.get(task_path="search.tasks.index_objects")
    queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
    assert found("sốt rét") == ["Phòng chống sốt rét mùa mưa"]


@pytest.mark.parametrize("command", ["rebuild_search", "update_index"])
def test_rebuilding_repairs_the_index(archive, capsys, command):
    HeritageRecord.objects.bulk_create(
        [HeritageRecord(title="Chợ tình Khâu Vai", slug="khau-vai", kind="festival")]
    )
    HeritageRecordFactory.create(title="Hồ sơ kín", protocol=CulturalProtocol.RESTRICTED)
    assert found("khau vai") == []
    call_command(command)
    assert found("khau vai") == ["Chợ tình Khâu Vai"]
    assert "documents indexed" in capsys.readouterr().out


def test_a_rebuild_says_when_elasticsearch_could_not_be_reached(archive, capsys, settings):
    settings.SEARCH_ELASTICSEARCH = {"URL": "http://127.0.0.1:9", "INDEX": "banlang_test_search"}
    call_command("rebuild_search")
    assert "Elasticsearch could not be reached" in capsys.readouterr().out


def test_imported_records_are_indexed_once_published_and_their_translations_followed(
    archive, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = imported(write_csv(tmp_path, [festival(1), festival(2)]), "records.csv")
    assert report.created == 2
    assert sorted(found("long tong")) == ["Lễ hội Lồng Tồng 1", "Lễ hội Lồng Tồng 2"]
    record = HeritageRecord.objects.get(external_id="LC-001")
    states = dict(
        TranslationStatus.objects.filter(object_id=str(record.pk)).values_list("language", "state")
    )
    assert len(states) == len(LANGUAGE_CODES) - 1 and states["km"] == "missing"


def test_record_saved_with_its_media_items_in_one_go(archive, django_capture_on_commit_callbacks):
    record = HeritageRecord(title="Lễ hội Lồng Tồng", slug="long-tong", kind="festival")
    record.media_items = [RecordMedia(image=ImageFactory(), caption="Múa xòe")]
    with django_capture_on_commit_callbacks(execute=True):
        record.save()
    assert found("múa xòe") == ["Múa xòe"]


def test_renaming_a_section_moves_its_articles_in_the_index(
    health, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish(article)
    health.refresh_from_db()
    health.slug = "y-te-cong-dong"
    with django_capture_on_commit_callbacks(execute=True):
        publish(health)
    document = SearchDocument.objects.get(object_id=article.pk, language="vi")
    assert document.url == "/vi/y-te-cong-dong/phong-chong-sot-ret-mua-mua/"


def test_moving_a_section_moves_its_articles_in_the_index(
    home, health, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish(article)
    elsewhere = TopicIndexPageFactory(
        parent=home, title="Thị trường", slug="thi-truong", slug_en="market", topic="market"
    )
    with django_capture_on_commit_callbacks(execute=True):
        health.move(elsewhere, pos="last-child")
    document = SearchDocument.objects.get(object_id=article.pk, language="vi")
    assert document.url.startswith("/vi/thi-truong/")


def test_renaming_the_archive_moves_its_records_in_the_index(
    archive, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = HeritageRecordFactory(title="Chợ tình Khâu Vai", slug="cho-tinh-khau-vai")
    archive.refresh_from_db()
    archive.slug = "kho-di-san"
    with django_capture_on_commit_callbacks(execute=True):
        publish(archive)
    document = SearchDocument.objects.get(object_id=record.pk, doc_type="record", language="vi")
    assert document.url == "/vi/kho-di-san/cho-tinh-khau-vai/"


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_publishing_the_archive_queues_its_records_in_bounded_batches(
    archive, django_capture_on_commit_callbacks
):
    count = 2 * indexing.BATCH_SIZE + 7
    HeritageRecord.objects.bulk_create(
        HeritageRecord(title=f"Lễ {n}", slug=f"le-{n}", kind="festival", live=True)
        for n in range(count)
    )
    with django_capture_on_commit_callbacks(execute=True):
        publish(archive)
    queued = DBTaskResult.objects.filter(task_path="search.tasks.index_objects")
    batches = [
        task.args_kwargs["args"][1]
        for task in queued
        if task.args_kwargs["args"][0] == "heritage.HeritageRecord"
    ]
    assert sorted(len(batch) for batch in batches) == [7, indexing.BATCH_SIZE, indexing.BATCH_SIZE]
    assert sorted(pk for batch in batches for pk in batch) == sorted(
        HeritageRecord.objects.values_list("pk", flat=True)
    )


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_commits_batch_by_batch_and_readers_find_everything_meanwhile():
    HeritageRecord.objects.bulk_create(
        HeritageRecord(title=f"Chợ phiên số {n}", slug=f"cho-{n}", kind="festival", live=True)
        for n in range(7)
    )
    gone = HeritageRecordFactory(title="Chợ phiên đã gỡ")
    indexing.rebuild(batch_size=3)
    HeritageRecord.objects.filter(pk=gone.pk).update(live=False)  # withdrawn without a signal
    seen = []

    def between_batches(message):
        seen.append((message, connection.in_atomic_block, len(found("chợ phiên"))))

    indexing.rebuild(batch_size=3, progress=between_batches)
    records = [line for line in seen if line[0].startswith("heritage.HeritageRecord:")]
    assert (
        records[-1][0]
        == "heritage.HeritageRecord: documents of objects no longer indexable removed"
    )
    done = [0] + [int(message.split()[1]) for message, *_ in records[:-1]]
    assert done[-1] == 7 and all(0 < b - a <= 3 for a, b in pairwise(done))
    assert not any(in_transaction for _, in_transaction, _ in seen)
    # Readers find every published record between batches, the ones not yet rebuilt too.
    assert {count for *_, count in records} == {7}
    assert not SearchDocument.objects.filter(record=gone).exists()
    assert SearchDocument.objects.filter(doc_type="record").count() == 7 * len(LANGUAGE_CODES)


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_merges_the_index_to_an_end_while_edits_come_between_its_steps():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's index is cleaned in one statement, not merged in steps")
    HeritageRecord.objects.bulk_create(
        HeritageRecord(title=f"Chợ phiên số {n}", slug=f"cho-{n}", kind="festival", live=True)
        for n in range(12)
    )
    edited = HeritageRecord.objects.get(slug="cho-0")
    merge_steps = []

    def between_steps(message):
        if message.startswith("Search index: merging"):
            merge_steps.append(message)
            assert len(merge_steps) < 10, "the merge began again after every edit"
            # An editor's save, as the writers' turn after each step lets one in.
            HeritageRecord.objects.filter(pk=edited.pk).update(title=f"Chợ mới {len(merge_steps)}")
            indexing.index_objects(HeritageRecord, [edited.pk])

    indexing.rebuild(batch_size=3, progress=between_steps)

    with connection.cursor() as cursor:  # FTS5 raises "malformed" if its structure is broken
        cursor.execute("INSERT INTO search_index(search_index) VALUES('integrity-check')")
    assert merge_steps == ["Search index: merging, step 1"]
    assert found("chợ mới 1") == ["Chợ mới 1"]
    assert service.search("chợ phiên", "vi", AnonymousUser()).total == 11


def test_a_rebuilds_batches_on_sqlite_hold_the_write_lock_about_as_long_as_allowed():
    limit = indexing.BATCH_SIZE
    sizes = [
        next_batch_size(200, 1.0, limit),  # five times too long
        next_batch_size(50, LOCK_SECONDS / 4, limit),  # four times as many fit, beyond the limit
        next_batch_size(3, 0.0, limit),
        next_batch_size(1, 60.0, limit),
        next_batch_size(0, 0.0, limit),  # the first, before any was measured
    ]
    if connection.vendor == "sqlite":
        assert sizes == [40, limit, limit, 1, 1]
    else:  # PostgreSQL locks rows, not the database
        assert sizes == [limit] * 5


def test_a_rebuild_builds_again_an_object_indexed_again_since_its_batch_was_read(archive):
    first, edited = HeritageRecordFactory(title="Hội làng"), HeritageRecordFactory(title="Hội cũ")
    indexing.rebuild()
    source = SOURCE_BY_MODEL[HeritageRecord]
    read_after = SearchDocument.objects.order_by("-pk").first().pk
    documents = indexing.analysed(source.build([first, edited]))  # read before the edit
    HeritageRecord.objects.filter(pk=edited.pk).update(title="Hội mới")
    indexing.index_objects(HeritageRecord, [edited.pk])  # the edit's own indexing

    _, written = indexing.replace_batch(source, [first.pk, edited.pk], documents, read_after)

    assert written == 2 * len(LANGUAGE_CODES)
    assert found("hội mới") == ["Hội mới"] and found("hội cũ") == []
    assert found("hội làng") == ["Hội làng"]  # the control: the other object as it was read
    assert SearchDocument.objects.filter(record=edited, title="Hội mới").count() == len(
        LANGUAGE_CODES
    )


def seeded_records(count, first=0):
    """``count`` published records, each with two communities, a custodian, two narratives,
    an ethnic group and a photo."""
    group = EthnicGroup.objects.get(code="02")
    made = []
    for number in range(first, first + count):
        record = HeritageRecordFactory(title=f"Lễ hội bản {number}", slug=f"le-hoi-ban-{number}")
        record.communities.add(CommunityGroupFactory(), CommunityGroupFactory())
        record.ethnic_groups.add(group)
        CommunityNarrativeFactory(record=record)
        CommunityNarrativeFactory(record=record, protocol=CulturalProtocol.RESTRICTED)
        RecordImageFactory(record=record)
        made.append(record.pk)
    return made


def test_indexing_records_reads_the_same_queries_for_ten_times_as_many(archive):
    few = seeded_records(3)
    many = seeded_records(30, first=3)
    indexing.index_objects(HeritageRecord, few)  # the content types' cache filled
    counts = []
    for pks in (few, many):
        with CaptureQueriesContext(connection) as queries:
            indexing.index_objects(HeritageRecord, pks)
        # Inserts come in as many statements as the database takes parameters for; reads
        # must not grow with the records, their communities, narratives or photos.
        counts.append(sum(query["sql"].startswith("SELECT") for query in queries))
    assert counts[0] == counts[1]
    assert SearchDocument.objects.filter(doc_type="record").count() == 33 * len(LANGUAGE_CODES)
