"""Background work after an import: search and reference indexing of the records it wrote."""

from django_tasks import task
from wagtail.models import ReferenceIndex
from wagtail.search.backends import get_search_backends

from heritage.models import HeritageRecord


@task()
def index_records(record_ids: list[int]) -> int:
    """Index imported records for search and in Wagtail's reference index (what uses what).

    The import writes rows in bulk, which bypasses the per-save signals that would otherwise
    queue this one record at a time.
    """
    records = list(
        HeritageRecord.objects.filter(pk__in=record_ids).prefetch_related(
            "labels", "sources", "media_items", "narratives"
        )
    )
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(HeritageRecord, records)
    for record in records:
        ReferenceIndex.create_or_update_for_object(record)
    return len(records)
