"""Receiving residents' submissions: a reference code, the office the rules route it to (or
triage), the answer's deadline, and the log of each step."""

import datetime
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from cms.text import nfc
from heritage.models import Place
from outreach import feedback_files
from outreach.models import (
    Office,
    RoutingRule,
    Submission,
    SubmissionEvent,
    SubmissionState,
)

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""Reference letters and digits nobody confuses when reading them out or typing them: no
0/O, 1/I/L."""
REFERENCE_LENGTH = 10
"""31¹⁰ (about 8 × 10¹⁴) codes: guessing one is hopeless under the pages' rate limits."""


def new_reference() -> str:
    """A new random reference code, as stored (no dash)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(REFERENCE_LENGTH))


def shown(reference: str) -> str:
    """``reference`` as residents read it: two groups of five."""
    return f"{reference[:5]}-{reference[5:]}"


def read_reference(text: str) -> str:
    """The stored form of a code as someone typed it: any case, dashes and spaces ignored."""
    return re.sub(r"[\s\-.]", "", text.upper())[:32]


def route(topic: str, province: Place | None, commune: Place | None) -> Office | None:
    """The office the most specific matching rule names: a commune's rule over its
    province's over everywhere's, a topic's over any topic's; ``None`` for triage."""
    places = Q(place__isnull=True)
    for place in (province, commune):
        if place is not None:
            places |= Q(place=place)
    rules = RoutingRule.objects.filter(places, Q(topic=topic) | Q(topic="")).select_related(
        "office"
    )

    def specificity(rule: RoutingRule) -> tuple[int, int]:
        if rule.place_id is None:
            return 0, int(bool(rule.topic))
        return (1 if province and rule.place_id == province.pk else 2), int(bool(rule.topic))

    best = max(rules, key=specificity, default=None)
    return best.office if best else None


def deadline(kind: str, office: Office | None, start: datetime.datetime) -> datetime.datetime:
    """When an answer to a ``kind`` submission received at ``start`` is due: the kind's days,
    or the longer ones of an office serving remote and difficult areas."""
    limits = settings.BANLANG_FEEDBACK
    days = limits["REMOTE_DEADLINE_DAYS" if office and office.remote else "DEADLINE_DAYS"][kind]
    return start + datetime.timedelta(days=days)


@dataclass(frozen=True)
class Received:
    """What a resident sent, checked by the form or the inbound message that took it."""

    kind: str
    text: str
    language: str
    came_by: str
    topic: str = ""
    province: Place | None = None
    commune: Place | None = None
    answer_channel: str = ""
    answer_to: str = ""
    consent_text: str = ""
    may_publish: bool = False
    held_because: tuple[str, ...] = ()
    """Why the abuse screening holds it for moderation; empty for none."""
    files: tuple[feedback_files.Attachment, ...] = ()
    """A photo, a voice message, checked (``outreach.feedback_files``)."""


def receive(received: Received) -> Submission:
    """Store ``received`` under a new reference code, routed to its office (or to triage, or
    held for moderation), with its deadline, its files and the log of these steps: all of it
    or, if anything fails, nothing (files written are deleted again)."""
    now = timezone.now()
    office = route(received.topic, received.province, received.commune)
    held = bool(received.held_because)
    if held:
        state = SubmissionState.MODERATION
    else:
        state = SubmissionState.ASSIGNED if office else SubmissionState.RECEIVED
    written: list[str] = []
    try:
        with transaction.atomic():
            submission = _with_new_reference(
                kind=received.kind,
                topic=received.topic,
                language=received.language,
                province=received.province,
                commune=received.commune,
                text=nfc(received.text).strip(),
                came_by=received.came_by,
                answer_channel=received.answer_channel,
                answer_to=received.answer_to if received.answer_channel else "",
                consented_at=now if received.answer_channel else None,
                consent_text=received.consent_text if received.answer_channel else "",
                may_publish=received.may_publish,
                state=state,
                office=None if held else office,
                due_at=deadline(received.kind, office, now),
            )
            feedback_files.store(submission, received.files, written)
            SubmissionEvent.objects.bulk_create(_first_steps(submission, received, office))
    except BaseException:
        feedback_files.delete_stored(written)
        raise
    return submission


def _with_new_reference(**fields: object) -> Submission:
    """A new submission of ``fields`` under a reference code no other has."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Submission.objects.create(reference=new_reference(), **fields)
        except IntegrityError:  # the one-in-10¹⁴ code already given: draw again
            continue
    raise RuntimeError("no free reference code after five draws")


def _first_steps(
    submission: Submission, received: Received, office: Office | None
) -> list[SubmissionEvent]:
    """The log of receiving: received, then held, routed or left to triage."""
    steps = [SubmissionEvent(submission=submission, kind=SubmissionEvent.Kind.RECEIVED)]
    if received.held_because:
        note = ", ".join(received.held_because)
        steps.append(SubmissionEvent(submission=submission, kind="held", note=note))
    elif office:
        steps.append(SubmissionEvent(submission=submission, kind="routed", office=office))
    else:
        steps.append(SubmissionEvent(submission=submission, kind="triage"))
    return steps


def published() -> QuerySet[Submission]:
    """The submissions published with their answers."""
    return Submission.objects.filter(published_at__isnull=False)


def find(reference: str) -> Submission | None:
    """The submission of a code as typed, or ``None``."""
    code = read_reference(reference)
    if len(code) != REFERENCE_LENGTH or set(code) - set(ALPHABET):
        return None
    return Submission.objects.select_related("office").filter(reference=code).first()
