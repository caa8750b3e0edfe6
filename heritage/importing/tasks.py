"""Background work after an import: Wagtail's indexes and the translation state of the records
it wrote."""

from django_tasks import task
from wagtail.models import ReferenceIndex
from wagtail.search.backends import get_search_backends

from cms import translation_state
from heritage.models import HeritageRecord


@task()
def index_records(record_ids: list[int]) -> int:
    """Index imported records in Wagtail's search and reference index (what uses what), and
    record what their translations were made from (``cms.translation_state``).

    The import writes rows in bulk, which bypasses the per-save signals that would otherwise
    do this one record at a time.
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
        translation_state.record(record)
    return len(records)
