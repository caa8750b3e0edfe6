"""Reminding offices of what they owe: once a day, each office with an e-mail address and
submissions overdue or due within three days gets their codes and the link to its queue, in
Vietnamese, through the outbox. Never a resident's text or contact."""

import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from cms.formatting import format_date
from cms.languages import DEFAULT_LANGUAGE
from outreach import feedback
from outreach.handling import DUE_SOON, OPEN
from outreach.models import Message, Office, Submission
from outreach.models.messages import MessageKind
from outreach.outbox import queue_reminder

ONCE_A_DAY = datetime.timedelta(hours=20)
"""An office reminded less long ago than this is not reminded again: a daily job may run a
little early or late."""


def owed(office: Office, now: datetime.datetime) -> QuerySet[Submission]:
    """``office``'s open submissions due by ``DUE_SOON`` from ``now``, the most overdue first."""
    return Submission.objects.filter(
        office=office, state__in=OPEN, due_at__lt=now + DUE_SOON
    ).order_by("due_at", "pk")


def remind_offices(now: datetime.datetime | None = None) -> int:
    """Queue today's reminders; how many offices were reminded."""
    now = now or timezone.now()
    reminded = set(
        Message.objects.filter(
            kind=MessageKind.REMINDER, created_at__gt=now - ONCE_A_DAY
        ).values_list("office", flat=True)
    )
    queue = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("outreach_questions")
    count = 0
    for office in Office.objects.exclude(email="").exclude(pk__in=reminded):
        due = list(owed(office, now).values_list("reference", "due_at"))
        if not due:
            continue
        overdue = sum(1 for _reference, when in due if when is not None and when < now)
        with translation.override(DEFAULT_LANGUAGE):
            figures = {"office": office.name, "overdue": overdue, "soon": len(due) - overdue}
            subject = gettext("Questions waiting: %(overdue)s overdue, %(soon)s due soon") % figures
            lead = (
                gettext("%(office)s has %(overdue)s overdue and %(soon)s due within 3 days:")
                % figures
            )
            lines = "\n".join(
                f"- {feedback.shown(reference)}: "
                f"{format_date(timezone.localdate(when), DEFAULT_LANGUAGE)}"
                for reference, when in due
            )
            link = f"{queue}?overdue=1"
            ending = gettext("Open the queue: %(url)s") % {"url": link}
        queue_reminder(office, text=f"{lead}\n{lines}\n\n{ending}", subject=subject, link=link)
        count += 1
    return count
