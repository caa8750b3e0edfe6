"""Importing as the tests do, and assertions the import and export tests share."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase
from wagtail.models import Revision

from heritage.importing import ImportReport, import_records
from heritage.models import HeritageRecord
from heritage.signal_handlers import CULTURAL_OFFICERS


def importing_officer():
    """A cultural officer, as who imports."""
    user = get_user_model().objects.create_user("officer", password="pw")
    user.groups.add(Group.objects.get(name=CULTURAL_OFFICERS))
    return user


def imported(*args, **kwargs) -> ImportReport:
    """``import_records``, then what runs once its transaction commits (the publishing tasks),
    which a test's own transaction would otherwise hold back."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return import_records(*args, **kwargs)


def assert_import_changes_nothing(path, name):
    """Importing ``path`` again leaves every record, its timestamp and revisions as they were."""
    before = list(HeritageRecord.objects.order_by("pk").values_list("pk", "updated_at"))
    revisions = Revision.objects.count()

    report = imported(path, name)

    assert (report.errors, report.created, report.updated) == ([], 0, 0)
    assert report.unchanged == len(before)
    assert list(HeritageRecord.objects.order_by("pk").values_list("pk", "updated_at")) == before
    assert Revision.objects.count() == revisions
