"""Background work after an import: publishing what it wrote, through Wagtail."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django_tasks import task
from wagtail.models import Revision

from cms import gathering
from heritage.models import HeritageRecord


@task()
def publish_imported(revision_ids: list[int], user_id: int | None) -> int:
    """Publish the records of an import's revisions as an officer's "Publish" does (Wagtail's
    revision publish: the live revision and dates, the log, the ``published`` signal that
    indexing and translation states follow, and scheduling: a record with a future "go live"
    date waits for it); return how many were published.

    One transaction per task, in which what the saves ask for (indexing) is gathered and
    queued once. A record saved again since the import (its latest revision is another) is
    left to that revision: publishing the import's would undo the newer work.
    """
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    revisions = Revision.objects.filter(pk__in=revision_ids).order_by("pk")
    records = HeritageRecord.objects.in_bulk([int(revision.object_id) for revision in revisions])
    published = 0
    with transaction.atomic(), gathering.gathered():
        for revision in revisions:
            record = records.get(int(revision.object_id))
            if record is None or record.latest_revision_id != revision.pk:
                continue
            revision.publish(user=user, changed=True, skip_permission_checks=True)
            published += 1
    return published
