"""Keeping the index up to date: publishing, unpublishing, editing and deleting, in tasks."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult
from wagtail_factories import ImageFactory

from cms.languages import LANGUAGE_CODES
from heritage.importing.tasks import index_records
from heritage.models import EthnicGroup, HeritageRecord, RecordMedia
from heritage.protocols import CulturalProtocol
from search import service
from search.models import IndexRow, SearchDocument
from tests.cms.factories import TopicIndexPageFactory
from tests.heritage.factories import HeritageRecordFactory, RecordImageFactory

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
    assert " topic=health " in documents.get(language="vi").facets


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


def test_records_imported_in_bulk_are_indexed_after_the_import_task(
    archive, django_capture_on_commit_callbacks
):
    HeritageRecord.objects.bulk_create(
        [HeritageRecord(title="Chợ tình Khâu Vai", slug="khau-vai", kind="festival")]
    )
    record = HeritageRecord.objects.get(slug="khau-vai")
    with django_capture_on_commit_callbacks(execute=True):
        index_records.enqueue([record.pk])
    assert found("khau vai") == ["Chợ tình Khâu Vai"]


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
