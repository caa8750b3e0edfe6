"""An import's records are published through Wagtail, as an officer's "Publish" does, by
background tasks of a bounded size."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import ModelLogEntry
from wagtail.signals import published

from heritage.importing import import_records
from heritage.importing.importer import PUBLISH_BATCH
from heritage.models import HeritageRecord
from tests.heritage.imports import imported, importing_officer
from tests.heritage.test_import import festival, write_csv

pytestmark = pytest.mark.django_db

PUBLISHING = "heritage.importing.tasks.publish_imported"


@pytest.fixture
def officer(db):
    """A cultural officer, who imports."""
    return importing_officer()


def test_imported_records_are_published_with_wagtails_signal_log_and_revision(tmp_path, officer):
    announced = []

    def listener(sender, instance, **kwargs):
        announced.append(instance.pk)

    published.connect(listener, dispatch_uid="test.import_published")
    try:
        report = imported(
            write_csv(tmp_path, [festival(1), festival(2)]), "records.csv", user=officer
        )
    finally:
        published.disconnect(dispatch_uid="test.import_published")

    assert report.created == 2
    records = list(HeritageRecord.objects.order_by("pk"))
    assert sorted(announced) == [record.pk for record in records]
    for record in records:
        assert record.live and not record.has_unpublished_changes
        assert record.live_revision_id == record.latest_revision_id is not None
        assert record.first_published_at is not None
        log = ModelLogEntry.objects.filter(object_id=str(record.pk)).order_by("pk")
        assert list(log.values_list("action", "user")) == [
            ("wagtail.create", officer.pk),
            ("wagtail.publish", officer.pk),
        ]


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_an_import_is_published_by_tasks_of_a_bounded_size(
    tmp_path, django_capture_on_commit_callbacks
):
    count = PUBLISH_BATCH + 3
    with django_capture_on_commit_callbacks(execute=True):
        report = import_records(
            write_csv(tmp_path, [festival(n) for n in range(1, count + 1)]), "records.csv"
        )
    assert report.created == count
    assert not HeritageRecord.objects.filter(live=True).exists()  # drafts until published
    queued = list(DBTaskResult.objects.filter(task_path=PUBLISHING))
    assert sorted(len(task.args_kwargs["args"][0]) for task in queued) == [3, PUBLISH_BATCH]

    for task in queued:
        with django_capture_on_commit_callbacks(execute=True):
            assert task.task.call(*task.args_kwargs["args"]) == len(task.args_kwargs["args"][0])

    assert HeritageRecord.objects.filter(live=True).count() == count
    indexing = DBTaskResult.objects.filter(task_path="search.tasks.index_objects")
    batches = [
        task.args_kwargs["args"][1]
        for task in indexing
        if task.args_kwargs["args"][0] == "heritage.HeritageRecord"
    ]
    assert sorted(len(batch) for batch in batches) == [3, PUBLISH_BATCH]  # a task each, not 203
    assert sorted(pk for batch in batches for pk in batch) == sorted(
        HeritageRecord.objects.values_list("pk", flat=True)
    )


def test_a_record_scheduled_to_go_live_later_waits_for_its_date_after_an_import(tmp_path):
    imported(write_csv(tmp_path, [festival(1), festival(2)]), "records.csv")
    later = (timezone.now() + datetime.timedelta(days=3)).replace(microsecond=0)
    HeritageRecord.objects.filter(external_id="LC-001").update(live=False, go_live_at=later)

    report = imported(
        write_csv(
            tmp_path,
            [festival(1, summary_vi="Mùa xuân mới"), festival(2, summary_vi="Mùa thu mới")],
        ),
        "records.csv",
    )

    assert report.updated == 2
    scheduled = HeritageRecord.objects.get(external_id="LC-001")
    assert not scheduled.live
    assert scheduled.latest_revision.approved_go_live_at == later
    control = HeritageRecord.objects.get(external_id="LC-002")
    assert control.live and control.live_revision_id == control.latest_revision_id


def test_a_record_saved_again_before_its_publication_keeps_the_newer_draft(
    tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        import_records(write_csv(tmp_path, [festival(1), festival(2)]), "records.csv")
    edited = HeritageRecord.objects.get(external_id="LC-002")
    edited.title_vi = "Bản nháp của cán bộ"
    newer = edited.save_revision()

    for callback in callbacks:
        callback()

    edited.refresh_from_db()
    assert not edited.live and edited.latest_revision_id == newer.pk
    assert HeritageRecord.objects.get(external_id="LC-001").live  # the control
