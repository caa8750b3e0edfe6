"""How the offices answer: for each month, office, topic and language, how many submissions
came, how many were answered, how many were or are overdue, and the median days to an answer.

Counts only, never a person: what the admin's report shows and the open data (issue 16) takes.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from statistics import median

from django.db.models import QuerySet
from django.utils import timezone

from cms.charts import Bar
from outreach.handling import CLOSING
from outreach.models import Submission


@dataclass(frozen=True)
class ReportRow:
    """One month's figures for one office (``""`` for triage), topic and language."""

    month: datetime.date
    office: str
    topic: str
    language: str
    received: int
    answered: int
    overdue: int
    median_days: float | None
    """Median days from receipt to answer of those answered; ``None`` when none was."""


def report(
    submissions: QuerySet[Submission], now: datetime.datetime | None = None
) -> list[ReportRow]:
    """The figures of ``submissions``, a row per month (of receipt, Vietnam time), office,
    topic and language, newest month first. A submission is overdue when it was answered after
    its deadline, or is still owed an answer past it."""
    now = now or timezone.now()
    counts: dict[tuple[datetime.date, str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    days: dict[tuple[datetime.date, str, str, str], list[float]] = defaultdict(list)
    rows = submissions.values_list(
        "office__name", "topic", "language", "received_at", "answered_at", "due_at", "state"
    )
    for office, topic, language, received, answered, due, state in rows.iterator(2000):
        month = timezone.localtime(received).date().replace(day=1)
        key = (month, office or "", topic, language)
        figures = counts[key]
        figures[0] += 1
        if answered is not None:
            figures[1] += 1
            days[key].append((answered - received).total_seconds() / 86400)
        late = (
            answered > due if answered and due else bool(due and due < now and state not in CLOSING)
        )
        figures[2] += int(late)
    return [
        ReportRow(
            *key, received, answered, overdue, round(median(days[key]), 1) if days[key] else None
        )
        for key, (received, answered, overdue) in sorted(
            counts.items(), key=lambda item: (-item[0][0].toordinal(), item[0][1:])
        )
    ]


def by_month(rows: list[ReportRow], months: int = 12) -> list[Bar]:
    """Received and answered, month by month (oldest first), over the latest ``months``."""
    totals: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        totals[row.month][0] += row.received
        totals[row.month][1] += row.answered
    latest = sorted(totals)[-months:]
    return [Bar(f"{month:%m/%Y}", tuple(totals[month])) for month in latest]
