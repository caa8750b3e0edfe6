"""Festival calendars as iCalendar (RFC 5545) files that calendar apps can subscribe to."""

import datetime

import icalendar
from django.db import models
from django.utils.translation import gettext as _

from heritage.display import localized
from heritage.festival_dates import RULE_FIELDS, next_twelve_months, occurrences_between
from heritage.models.records import HeritageRecord

PRODUCT_ID = "-//Bản Làng//Heritage festival calendar//EN"
CALENDAR_FIELDS = ("slug", "kind", "title", "summary", "updated_at", *RULE_FIELDS)


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
) -> bytes:
    """One all-day event per festival occurrence in the window around ``today``: each dated
    festival of ``records`` once or twice (a lunar year may be shorter than the window).

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
    for occurrence in occurrences_between(records.only(*CALENDAR_FIELDS), first, last):
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
    return feed.to_ical()


def calendar_name(page_title: str, subject: str = "") -> str:
    """The name calendar apps show: the archive's, narrowed to a province or group if any."""
    if subject:
        return _("%(title)s: festivals of %(subject)s") % {"title": page_title, "subject": subject}
    return _("%(title)s: festivals") % {"title": page_title}
