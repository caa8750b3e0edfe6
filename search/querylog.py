"""The log of what readers search for, without anything that could say who they are.

Each row counts the searches for one normalised query in one language on one day and keeps how
many results an anonymous reader found (see ``log_query``). No user, no address, no time of day;
phone, ID and account numbers and e-mail addresses typed into the box are masked before anything
is stored.

A search is counted in the web process's memory (a ``cms.counting`` counter) and handed over in
batches to the ``write_query_log`` task, so searching writes nothing to the database.
"""

import datetime
import logging
from typing import Any

import regex
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet, Sum
from django.utils import timezone

from cms.counting import BatchedCounter, Counted
from search.analysis import exact
from search.models import QueryLog

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
REPORT_DAYS = 30

_EMAIL = regex.compile(r"\S+@\S+")
_NUMBER = regex.compile(r"(?:\p{N}[\s.\-]?){6,}")
"""Six digits or more, perhaps grouped: what phone numbers and ID card numbers look like."""


def normalise(query: str) -> str:
    """The form of a query the log keeps: exact-analysed, personal numbers masked, cut short."""
    text = _EMAIL.sub("[email]", exact(query))
    text = _NUMBER.sub("[number] ", text)
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def log_query(query: str, language: str, results: int | None) -> None:
    """Count one search for ``query`` in ``language`` today, which found ``results``.

    ``results`` is ``None`` for a signed-in reader's search: it counts, but what they found
    depends on what they may see, so the count an anonymous reader got is kept.
    """
    text = normalise(query)
    if text:
        counter.count((timezone.localdate().isoformat(), language, text), results)


def enqueue_writing(counted: Counted) -> None:
    """Queue ``write_query_log`` for what was counted; if it cannot be queued, the searches are
    lost and logged as such: counting never fails a search."""
    from search.tasks import write_query_log

    batch = [[*key, searches, results] for key, searches, results in counted]
    try:
        write_query_log.enqueue(batch)
    except Exception:
        logger.exception("%d searches could not be queued for the log and are lost", len(batch))


counter: BatchedCounter[tuple[str, str, str]] = BatchedCounter(hand_over=enqueue_writing)
"""This process's counts of searches."""


def flush(force: bool = False) -> None:
    """Hand this process's counts over to be written, if due or with ``force``."""
    counter.flush(force)


def write(batch: list[list]) -> int:
    """Add ``batch``'s searches, ``[day, language, query, searches, results]`` each, to the
    days' rows, the results kept where given; how many searches were written."""
    written = 0
    for day, language, query, searches, results in batch:
        key = {"day": datetime.date.fromisoformat(day), "language": language, "query": query}
        changes: dict[str, Any] = {"searches": F("searches") + searches}
        if results is not None:
            changes["results"] = results
        with transaction.atomic():
            if not QueryLog.objects.filter(**key).update(**changes):
                try:
                    with transaction.atomic():
                        QueryLog.objects.create(**key, searches=searches, results=results)
                except IntegrityError:
                    QueryLog.objects.filter(**key).update(**changes)
        written += searches
    return written


def _since(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days - 1)


def top_queries(language: str, days: int = REPORT_DAYS, limit: int = 20) -> QuerySet:
    """The most searched queries of the last ``days`` days in ``language``."""
    return (
        QueryLog.objects.filter(language=language, day__gte=_since(days))
        .values("query")
        .annotate(total=Sum("searches"))
        .order_by("-total", "query")[:limit]
    )


def zero_result_queries(language: str, days: int = REPORT_DAYS, limit: int = 20) -> QuerySet:
    """The most searched queries of the last ``days`` days in ``language`` that found nothing
    for an anonymous reader."""
    return (
        QueryLog.objects.filter(language=language, day__gte=_since(days), results=0)
        .values("query")
        .annotate(total=Sum("searches"))
        .order_by("-total", "query")[:limit]
    )
