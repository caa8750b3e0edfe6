"""Assertions the import and export tests share."""

from wagtail.models import Revision

from heritage.importing import import_records
from heritage.models import HeritageRecord


def assert_import_changes_nothing(path, name):
    """Importing ``path`` again leaves every record, its timestamp and revisions as they were."""
    before = list(HeritageRecord.objects.order_by("pk").values_list("pk", "updated_at"))
    revisions = Revision.objects.count()

    report = import_records(path, name)

    assert (report.errors, report.created, report.updated) == ([], 0, 0)
    assert report.unchanged == len(before)
    assert list(HeritageRecord.objects.order_by("pk").values_list("pk", "updated_at")) == before
    assert Revision.objects.count() == revisions
