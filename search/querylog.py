"""The log of what readers search for, without anything that could say who they are.

Each row counts the searches for one normalised query in one language on one day and keeps how
many results an anonymous reader found (see ``log_query``). No user, no address, no time of day;
phone, ID and account numbers and e-mail addresses typed into the box are masked before anything
is stored.
"""

import datetime
from typing import Any

import regex
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet, Sum
from django.utils import timezone

from search.analysis import exact
from search.models import QueryLog

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
    if not text:
        return
    day = timezone.localdate()
    rows = QueryLog.objects.filter(day=day, language=language, query=text)
    changes: dict[str, Any] = {"searches": F("searches") + 1}
    if results is not None:
        changes["results"] = results
    if rows.update(**changes):
        return
    try:
        with transaction.atomic():
            QueryLog.objects.create(
                day=day, language=language, query=text, searches=1, results=results
            )
    except IntegrityError:
        rows.update(**changes)


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
