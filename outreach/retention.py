"""Personal data kept no longer than needed: what the retention job deletes, and when.

- A contact never confirmed is deleted ``UNCONFIRMED_KEPT_DAYS`` after it was given, with its
  consents; its subscriber too once they have no contact left.
- A message's link to its contact, or the address of a reply to someone we hold nothing of, is
  cut ``MESSAGE_CONTACT_KEPT_DAYS`` after it was made: the counts by state, channel and
  language stay, not who was written to.
- The number or address a resident gave to be answered is erased
  ``BANLANG_FEEDBACK["CONTACT_RETENTION_DAYS"]`` after their submission was closed, or answered
  and left open, with the photo and the voice message sent with it (their files leave storage
  once the deletion commits); the submission stays, with nobody's contact.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from outreach.models import Contact, Message, Submission, SubmissionFile, Subscriber


@dataclass(frozen=True)
class Erased:
    """How many of each were deleted or cut loose."""

    contacts: int
    subscribers: int
    messages: int
    answer_addresses: int
    submission_files: int


def erase_expired(now: datetime.datetime | None = None) -> Erased:
    """Delete what is kept past its time (see the module's docstring)."""
    now = now or timezone.now()
    limits = settings.BANLANG_OUTREACH
    unconfirmed_before = now - datetime.timedelta(days=limits["UNCONFIRMED_KEPT_DAYS"])
    messages_before = now - datetime.timedelta(days=limits["MESSAGE_CONTACT_KEPT_DAYS"])
    with transaction.atomic():
        stale = Contact.objects.filter(confirmed_at__isnull=True, created_at__lt=unconfirmed_before)
        owners = list(stale.values_list("subscriber", flat=True))
        for contact in stale.select_related("subscriber"):
            contact.subscriber.consents.filter(channel=contact.channel).delete()
        _, deleted = stale.delete()
        contacts = deleted.get("outreach.Contact", 0)
        orphans = Subscriber.objects.filter(pk__in=owners, contacts__isnull=True)
        subscribers = orphans.count()
        orphans.delete()
        messages = Message.objects.filter(
            Q(contact__isnull=False) | ~Q(to=""), created_at__lt=messages_before
        ).update(contact=None, to="")
        answered_before = now - datetime.timedelta(
            days=settings.BANLANG_FEEDBACK["CONTACT_RETENTION_DAYS"]
        )
        ended = Q(closed_at__lt=answered_before) | Q(
            closed_at__isnull=True, answered_at__lt=answered_before
        )
        addresses = Submission.objects.filter(ended).exclude(answer_to="").update(answer_to="")
        files, _deleted = SubmissionFile.objects.filter(
            submission__in=Submission.objects.filter(ended)
        ).delete()
    return Erased(contacts, subscribers, messages, addresses, files)
