"""Page views counted on the server, per page, language and day; nothing about the reader.

A reader's ``GET`` of a live page anyone may read, answered ``200``, adds one to the count of
the page, the language it was served in and the day (Vietnam time). A Wagtail hook marks the
request (``mark``); ``PageViewMiddleware`` counts it once answered. No cookie is set, and the
reader's address and browser are never stored: the browser's name is only looked at to leave
out bots, and prefetches are left out too. Previews and the admin never reach the hook.

Counts are kept in the memory of each web process (``counter``, a ``cms.counting`` counter) and
handed in batches to the ``write_page_views`` task once ``BANLANG_REACH["FLUSH_SECONDS"]`` have
passed since the last hand-over or the batch holds ``FLUSH_KEYS`` counts; the task adds them to
the day's rows.
"""

import datetime
import logging
import re
from collections import Counter
from collections.abc import Callable

from django.db import connections, router, transaction
from django.db.models import Field, Sum
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from wagtail.models import Page, PageViewRestriction

from cms import translation_state
from cms.counting import BatchedCounter, Counted
from cms.languages import DEFAULT_LANGUAGE
from outreach.models import PageViews

logger = logging.getLogger(__name__)

Key = tuple[int, str, datetime.date]
"""A page's id, a language, a day."""
Batch = list[list]
"""Counts as the task takes them: ``[page_id, language, "YYYY-MM-DD", views]`` each."""

NOT_READERS = re.compile(
    r"(?<!cu)bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|headless|"
    r"lighthouse|pingdom|uptime|monitor|curl|wget|python|java/|go-http|okhttp|httpclient|"
    r"libwww|scrapy|feed|validator",
    re.IGNORECASE,
)
"""Browser names of crawlers, link previews, monitors and scripts (``(?<!cu)``: Cubot is a
make of phone)."""
PREFETCH_HEADERS = ("Sec-Purpose", "Purpose", "X-Purpose", "X-Moz")
MARK = "banlang_page_view"
"""The request attribute that holds the page and language of a view to count."""
WRITE_CHUNK = 500
"""Counts written by one statement."""


def is_reader(request: HttpRequest) -> bool:
    """Whether ``request`` is a person's browser asking for a page to read: a ``GET`` that is
    not a prefetch, from a browser that does not name itself a bot, a script or a previewer
    (an empty name counts as a script: every browser sends one)."""
    if request.method != "GET":
        return False
    for header in PREFETCH_HEADERS:
        if "prefetch" in request.headers.get(header, "").lower():
            return False
    user_agent = request.headers.get("User-Agent", "")
    return bool(user_agent) and not NOT_READERS.search(user_agent)


def mark(page: Page, request: HttpRequest) -> None:
    """Note that ``request`` is a reader's for ``page`` in the current language, to be counted
    by ``PageViewMiddleware`` if it is answered ``200``; called by Wagtail before serving."""
    if page.live and not getattr(request, "is_preview", False) and is_reader(request):
        language = translation.get_language() or DEFAULT_LANGUAGE
        setattr(request, MARK, (page.pk, page.path, language))


def is_public(path: str) -> bool:
    """Whether the page at tree ``path`` and every page above it have no view restriction (as
    Wagtail's ``PageQuerySet.public`` decides); one query."""
    paths = [path[:end] for end in range(Page.steplen, len(path) + 1, Page.steplen)]
    return not PageViewRestriction.objects.filter(page__path__in=paths).exists()


def as_batch(counted: Counted) -> Batch:
    """Counts as the task takes them."""
    return [
        [page_id, language, day.isoformat(), views]
        for (page_id, language, day), views, _ in counted
    ]


def enqueue_writing(counted: Counted) -> None:
    """Queue ``write_page_views`` for what was counted. If it cannot be queued, the views are
    lost and logged as such: counting never fails a reader's request."""
    # outreach.tasks imports this module.
    from outreach.tasks import write_page_views

    batch = as_batch(counted)
    try:
        write_page_views.enqueue(batch)
    except Exception:
        views = sum(row[3] for row in batch)
        logger.exception("%d page views could not be queued for writing and are lost", views)


counter: BatchedCounter[Key] = BatchedCounter(hand_over=enqueue_writing)
"""This process's counts."""


def flush(force: bool = False) -> None:
    """Hand this process's counts over to be written, if due or with ``force``."""
    counter.flush(force)


class PageViewMiddleware:
    """Count a marked page view (``mark``) once it is answered ``200`` and the page is public."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        marked = getattr(request, MARK, None)
        if marked and response.status_code == 200:
            page_id, path, language = marked
            if is_public(path):
                today = timezone.localdate(timezone=timezone.get_default_timezone())
                counter.count((page_id, language, today))
        return response


def write(batch: Batch) -> int:
    """Add ``batch``'s views to the days' counts, one statement per ``WRITE_CHUNK`` counts (fewer
    where the database takes fewer parameters); how many views were written. Views of pages
    deleted since are dropped."""
    totals: Counter[Key] = Counter()
    for page_id, language, day, views in batch:
        totals[int(page_id), str(language), datetime.date.fromisoformat(day)] += int(views)
    rows = [(key, views) for key, views in totals.items() if views > 0]
    alias = router.db_for_write(PageViews)
    most_params = connections[alias].features.max_query_params
    size = min(WRITE_CHUNK, most_params // 4) if most_params else WRITE_CHUNK
    return sum(
        _write_chunk(rows[start : start + size], alias) for start in range(0, len(rows), size)
    )


def _column(name: str) -> str:
    """The column of ``PageViews``' field ``name``."""
    field = PageViews._meta.get_field(name)
    assert isinstance(field, Field) and field.column is not None  # a field with a column
    return field.column


def _write_chunk(rows: list[tuple[Key, int]], alias: str) -> int:
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = PageViews._meta
    table = quote(meta.db_table)
    page, language, day, views = (
        quote(_column(name)) for name in ("page", "language", "day", "views")
    )
    with transaction.atomic(using=alias):
        existing = set(
            Page.objects.using(alias)
            .filter(pk__in={page_id for (page_id, _, _), _ in rows})
            .values_list("pk", flat=True)
        )
        kept = [(key, count) for key, count in rows if key[0] in existing]
        if not kept:
            return 0
        params: list[int | str | None] = []
        for (page_id, code, date), count in kept:
            params += [page_id, code, connection.ops.adapt_datefield_value(date), count]
        # Django's bulk_create(update_conflicts=True) can only set a column to the new value;
        # adding to it needs the upsert written out (SQLite ≥ 3.24 and PostgreSQL alike).
        sql = (
            f"INSERT INTO {table} ({page}, {language}, {day}, {views}) "
            f"VALUES {', '.join(['(%s, %s, %s, %s)'] * len(kept))} "
            f"ON CONFLICT ({page}, {language}, {day}) "
            f"DO UPDATE SET {views} = {table}.{views} + EXCLUDED.{views}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    return sum(count for _, count in kept)


READ_DAYS = 30
"""How far back "most read" looks."""


def refresh_reads(today: datetime.date | None = None) -> int:
    """Tell the translation dashboard how often each page was read in the last ``READ_DAYS``
    days (``cms.translation_state.set_reads``), so it can list the most read first; how many
    pages were read."""
    since = (today or timezone.localdate()) - datetime.timedelta(days=READ_DAYS - 1)
    rows = (
        PageViews.objects.filter(day__gte=since)
        .values_list("page_id", "page__content_type_id")
        .annotate(views=Sum("views"))
        .order_by()
    )
    reads = {(kind, str(page)): views for page, kind, views in rows}
    translation_state.set_reads(reads)
    return len(reads)
