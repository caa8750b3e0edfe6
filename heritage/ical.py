"""Festival calendars as iCalendar (RFC 5545) files that calendar apps can subscribe to.

A calendar covers a window of days around today, in files of at most ``MOST_EVENTS`` events:
where the window holds more, a file stops before the day that would pass the limit and the next
file starts on that day (its address is given in the answer's ``Link: rel="next"``).
"""

import datetime
from dataclasses import dataclass

import icalendar
from django.db import models
from django.utils.translation import gettext as _

from heritage.display import localized
from heritage.festival_dates import (
    RULE_FIELDS,
    Occurrence,
    next_twelve_months,
    occurrences_between,
)
from heritage.models.records import HeritageRecord

PRODUCT_ID = "-//Bản Làng//Heritage festival calendar//EN"
CALENDAR_FIELDS = ("slug", "kind", "title", "summary", "updated_at", *RULE_FIELDS)
MOST_EVENTS = 2000
"""The most events one file holds (about 1 MB)."""


@dataclass(frozen=True)
class CalendarFile:
    """One file of a calendar, and the first day of the next file if there is one."""

    body: bytes
    next_start: datetime.date | None


def calendar_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """From the first day of last month to the end of the next twelve months.

    Last month's festivals stay in subscribers' calendars a while after they end.
    """
    first = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    return first, next_twelve_months(today)[1]


def festival_calendar(
    records: models.QuerySet[HeritageRecord],
    *,
    name: str,
    records_url: str,
    host: str,
    today: datetime.date,
    start: datetime.date | None = None,
) -> CalendarFile:
    """One all-day event per festival occurrence in the window around ``today``: each dated
    festival of ``records`` once or twice (a lunar year may be shorter than the window), from
    the window's first day, or those starting on ``start`` or later for a file after the first;
    at most ``MOST_EVENTS`` of them, but never part of a day's.

    ``records`` are the festivals the requester may see; ``records_url`` is the absolute URL the
    record slugs are appended to. Each event's UID is its record and start day, so calendar apps
    update an event in place when the record changes.
    """
    feed = icalendar.Calendar()
    feed.add("prodid", PRODUCT_ID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("name", name)
    feed.add("x-wr-calname", name)
    feed.add("refresh-interval", datetime.timedelta(days=1), parameters={"VALUE": "DURATION"})
    first, last = calendar_window(today)
    found = occurrences_between(records.only(*CALENDAR_FIELDS), start or first, last)
    if start is not None:
        found = [occurrence for occurrence in found if occurrence.start >= start]
    found, next_start = _first_file(found)
    for occurrence in found:
        record = occurrence.record
        event = icalendar.Event()
        event.add("uid", f"heritage-{record.pk}-{occurrence.start:%Y%m%d}@{host}")
        event.add("dtstamp", record.updated_at.astimezone(datetime.UTC))
        event.add("dtstart", occurrence.start)
        event.add("dtend", occurrence.end + datetime.timedelta(days=1))
        event.add("summary", localized(record, "title").text)
        summary = localized(record, "summary").text
        if summary:
            event.add("description", summary)
        event.add("url", f"{records_url}{record.slug}/")
        event.add("categories", [str(record.get_kind_display())])
        event.add("transp", "TRANSPARENT")
        feed.add_component(event)
    return CalendarFile(feed.to_ical(), next_start)


def _first_file(
    found: list[Occurrence],
) -> tuple[list[Occurrence], datetime.date | None]:
    """The occurrences (sorted by start day) of a file, and the start day of the next file:
    whole days, up to ``MOST_EVENTS`` events unless the first day alone has more."""
    if len(found) <= MOST_EVENTS:
        return found, None
    cut = found[MOST_EVENTS].start
    if cut == found[0].start:  # the first day alone holds more: it goes whole in this file
        later = [each.start for each in found if each.start > cut]
        if not later:
            return found, None
        cut = later[0]
    return [each for each in found if each.start < cut], cut


def calendar_name(page_title: str, subject: str = "") -> str:
    """The name calendar apps show: the archive's, narrowed to a province or group if any."""
    if subject:
        return _("%(title)s: festivals of %(subject)s") % {"title": page_title, "subject": subject}
    return _("%(title)s: festivals") % {"title": page_title}
