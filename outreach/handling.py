"""The offices' handling of residents' submissions: who sees which, and each step they take.

An office's staff (the members of its ``group``) see and handle their office's submissions;
coordinators (``outreach.change_submission``) see all of them, triage those no rule routed,
release those held for moderation and act on any. How to reach the resident (``answer_to``)
is shown only to the office handling it. Each step is one transaction, logged with who took it;
a step that cannot be taken is refused (``HandlingRefused``) with nothing changed.
"""

import datetime
from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cms.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES
from outreach import feedback, links, sms
from outreach.models import Message, Office, Submission, SubmissionEvent, SubmissionState
from outreach.outbox import queue_answer
from outreach.signals import publication_changed

Actor = User | AnonymousUser
"""Whoever takes a step: a user, or nobody signed in (who may take none)."""

OPEN = frozenset({SubmissionState.RECEIVED, SubmissionState.ASSIGNED, SubmissionState.IN_PROGRESS})
"""Waiting for an answer: in triage or with an office."""
DUE_SOON = datetime.timedelta(days=3)
"""An open submission due within this is due soon: marked in the queue, and reminded of."""
CLOSING = frozenset({SubmissionState.CLOSED, SubmissionState.NOT_OURS, SubmissionState.REJECTED})
"""How a submission ends without (or after) an answer."""


class HandlingRefused(ValueError):
    """A step that cannot be taken on this submission, by this user or in its state; the
    message says why, in the user's language."""


def offices_of(user: Actor) -> QuerySet[Office]:
    """The offices whose staff group ``user`` is in; every office for a superuser."""
    if not user.is_active:
        return Office.objects.none()
    if user.is_superuser:
        return Office.objects.all()
    return Office.objects.filter(group__user=user)


def may_triage(user: Actor) -> bool:
    """Whether ``user`` is a coordinator: sees every submission and acts on any."""
    return user.is_active and (user.is_superuser or user.has_perm("outreach.change_submission"))


def visible_to(user: Actor) -> QuerySet[Submission]:
    """The submissions ``user`` may see: all for a coordinator, their offices' for office
    staff, none for anyone else."""
    if may_triage(user):
        return Submission.objects.all()
    # The offices' ids themselves, not a subquery: the planner then reads the office's rows
    # by its index instead of scanning everyone's.
    offices = list(offices_of(user).values_list("pk", flat=True))
    return Submission.objects.filter(office__in=offices)


def handles(user: Actor, submission: Submission) -> bool:
    """Whether ``user`` is of the office ``submission`` is with (a superuser is of every
    office): only they see how to reach the resident."""
    if submission.office_id is None:
        return False
    return offices_of(user).filter(pk=submission.office_id).exists()


def may_see_files(user: Actor, submission: Submission) -> bool:
    """Whether ``user`` may see the photo and hear the voice message sent with ``submission``:
    its office's staff, or a coordinator while no office has it (triage, moderation)."""
    if submission.office_id is None:
        return may_triage(user)
    return handles(user, submission)


NOT_YOURS = _("This submission is with another office: only a coordinator may act on it.")
COORDINATORS_ONLY = _("Only a coordinator may do this.")
NOT_IN_THIS_STATE = _("This cannot be done to a submission that is “%(state)s”.")
NO_OFFICE_ABOVE = _("This office has no office above it to escalate to.")
SAME_OFFICE = _("The submission is already with this office.")
NO_ANSWER = _("Write the answer.")
VIETNAMESE_NEEDED = _("An answer in another language needs the Vietnamese beside it.")
UNKNOWN_LANGUAGE = _("Choose one of the languages we serve.")
NO_NOTE = _("Write the note.")
NOT_A_CLOSING = _("Choose closed, not our responsibility or rejected.")
NOT_CONSENTED = _("The resident did not agree to publication.")
NOT_ANSWERED = _("Only an answered question can be published.")
NO_PUBLIC_QUESTION = _("Write the question as it will be published.")


def _refuse(reason: Promise, **values: object) -> HandlingRefused:
    return HandlingRefused(str(reason) % values if values else str(reason))


def _step(
    submission: Submission,
    user: Actor,
    check: Callable[[Submission], None],
    change: Callable[[Submission], tuple[str, Office | None, str]],
) -> Submission:
    """Take one step on ``submission`` in one transaction: lock its row, ``check`` the fresh
    row (raising ``HandlingRefused``), ``change`` it (returning the event's kind, office and
    note), save it and log the step. ``submission`` is refreshed to what was saved."""
    with transaction.atomic():
        fresh = Submission.objects.select_for_update().get(pk=submission.pk)
        check(fresh)
        assert isinstance(user, User)  # every check refuses anyone not signed in
        kind, office, note = change(fresh)
        fresh.save()
        SubmissionEvent.objects.create(
            submission=fresh, kind=kind, actor=user, office=office, note=note
        )
    submission.refresh_from_db()
    return fresh


def _may_act(user: Actor, submission: Submission) -> None:
    if not (may_triage(user) or handles(user, submission)):
        raise _refuse(NOT_YOURS)


def _in(submission: Submission, states: frozenset[str]) -> None:
    if submission.state not in states:
        raise _refuse(NOT_IN_THIS_STATE, state=submission.get_state_display())


def start(submission: Submission, user: Actor) -> None:
    """Begin handling an assigned submission (assigned → in progress)."""

    def check(fresh: Submission) -> None:
        _may_act(user, fresh)
        _in(fresh, frozenset({SubmissionState.ASSIGNED}))

    def change(fresh: Submission) -> tuple[str, Office | None, str]:
        fresh.state = SubmissionState.IN_PROGRESS
        return SubmissionEvent.Kind.STARTED, fresh.office, ""

    _step(submission, user, check, change)


def note(submission: Submission, user: Actor, text: str) -> None:
    """Add ``text`` to the log of ``submission``, in any state."""
    text = text.strip()

    def check(fresh: Submission) -> None:
        _may_act(user, fresh)
        if not text:
            raise _refuse(NO_NOTE)

    def change(fresh: Submission) -> tuple[str, Office | None, str]:
        return SubmissionEvent.Kind.NOTE, fresh.office, text

    _step(submission, user, check, change)


def reassign(submission: Submission, user: Actor, office: Office, note: str) -> None:
    """Hand an open submission to ``office`` (from triage, or from the office it is with),
    keeping its deadline; a coordinator or the office it is with may."""

    def check(fresh: Submission) -> None:
        _may_act(user, fresh)
        _in(fresh, OPEN)
        if fresh.office_id == office.pk:
            raise _refuse(SAME_OFFICE)

    def change(fresh: Submission) -> tuple[str, Office | None, str]:
        fresh.office, fresh.state = office, SubmissionState.ASSIGNED
        return SubmissionEvent.Kind.REASSIGNED, office, note.strip()

    _step(submission, user, check, change)


def escalate(submission: Submission, user: Actor, note: str) -> None:
    """Send an open submission to the office above the one it is with, keeping its
    deadline; refused when there is none."""

    def check(fresh: Submission) -> None:
        _may_act(user, fresh)
        _in(fresh, OPEN)
        if fresh.office is None or fresh.office.parent_id is None:
            raise _refuse(NO_OFFICE_ABOVE)

    def change(fresh: Submission) -> tuple[str, Office | None, str]:
        assert fresh.office is not None
        fresh.office, fresh.state = fresh.office.parent, SubmissionState.ASSIGNED
        return SubmissionEvent.Kind.ESCALATED, fresh.office, note.strip()

    _step(submission, user, check, change)


def release(submission: Submission, user: Actor) -> None:
    """Let a submission held for moderation through: to the office the rules route it to,
    or to triage. Coordinators only."""

    def check(fresh: Submission) -> None:
        if not may_triage(user):
            raise _refuse(COORDINATORS_ONLY)
        _in(fresh, frozenset({SubmissionState.MODERATION}))

    def change(fresh: Submission) -> tuple[str, Office | None, str]:
        fresh.office = feedback.route(fresh.topic, fresh.province, fresh.commune)
        if fresh.office is None:
            fresh.state = SubmissionState.RECEIVED
            return SubmissionEvent.Kind.TRIAGE, None, ""
        fresh.state = SubmissionState.ASSIGNED
        return SubmissionEvent.Kind.ROUTED, fresh.office, ""

    _step(submission, user, check, change)


def close(submission: Submission, user: Actor, state: str, note: str) -> None:
    """End a submission: ``closed`` (an open or answered one), ``not_ours`` or ``rejected``
    (an open one, or one held for moderation, which only coordinators see)."""

    def check(fresh: Submission) -> None:
        if state not in CLOSING:
            raise _refuse(NOT_A_CLOSING)
        _may_act(user, fresh)
        allowed = OPEN | {SubmissionState.MODERATION}
        if state == SubmissionState.CLOSED:
            allowed |= {SubmissionState.ANSWERED}
        _in(fresh, frozenset(allowed))

    def change(fresh: Submission) -> tuple[str, Office | None, str]:
        fresh.state, fresh.closed_at = state, timezone.now()
        return SubmissionEvent.Kind(state), fresh.office, note.strip()

    _step(submission, user, check, change)


def publish(submission: Submission, user: Actor, question: str) -> None:
    """Publish an answered submission whose resident agreed, with ``question`` as the public
    reads it (without names, numbers or addresses) and its answer."""
    question = question.strip()

    def check(fresh: Submission) -> None:
        _may_act(user, fresh)
        if not fresh.may_publish:
            raise _refuse(NOT_CONSENTED)
        if (
            fresh.state not in (SubmissionState.ANSWERED, SubmissionState.CLOSED)
            or not fresh.answer
        ):
            raise _refuse(NOT_ANSWERED)
        if not question:
            raise _refuse(NO_PUBLIC_QUESTION)

    def change(fresh: Submission) -> tuple[str, Office | None, str]:
        fresh.public_question, fresh.published_at = question, timezone.now()
        return SubmissionEvent.Kind.PUBLISHED, fresh.office, ""

    _announce(_step(submission, user, check, change))


def unpublish(submission: Submission, user: Actor) -> None:
    """Take a published submission off the public pages."""

    def check(fresh: Submission) -> None:
        _may_act(user, fresh)

    def change(fresh: Submission) -> tuple[str, Office | None, str]:
        fresh.published_at = None
        return SubmissionEvent.Kind.UNPUBLISHED, fresh.office, ""

    _announce(_step(submission, user, check, change))


def _announce(submission: Submission) -> None:
    """Tell the apps above (search) that ``submission``'s publication changed."""
    transaction.on_commit(
        lambda: publication_changed.send(sender=Submission, submission=submission)
    )


def answer(
    submission: Submission, user: Actor, *, text: str, language: str, vietnamese: str
) -> Message | None:
    """Answer an open submission with ``text`` in ``language`` (its Vietnamese, required for
    another language, kept beside it), shown on its status page; and send it to the resident
    on the channel they chose, if they gave one: the message, once the transaction commits."""
    text, vietnamese = text.strip(), vietnamese.strip()
    if language == DEFAULT_LANGUAGE:
        vietnamese = ""

    def check(fresh: Submission) -> None:
        _may_act(user, fresh)
        _in(fresh, OPEN)
        if not text:
            raise _refuse(NO_ANSWER)
        if language not in LANGUAGE_CODES:
            raise _refuse(UNKNOWN_LANGUAGE)
        if language != DEFAULT_LANGUAGE and not vietnamese:
            raise _refuse(VIETNAMESE_NEEDED)

    def change(fresh: Submission) -> tuple[str, Office | None, str]:
        fresh.answer, fresh.answer_language, fresh.answer_vi = text, language, vietnamese
        fresh.state, fresh.answered_at = SubmissionState.ANSWERED, timezone.now()
        return SubmissionEvent.Kind.ANSWERED, fresh.office, ""

    with transaction.atomic():
        answered = _step(submission, user, check, change)
        if not (answered.answer_channel and answered.answer_to):
            return None
        return _send_answer(answered)


def _send_answer(submission: Submission) -> Message:
    """Queue ``submission``'s answer to its resident, in the answer's language: by SMS the
    answer itself if it fits six parts, else where to read it; by e-mail with the link to
    its page; by Zalo with that link as the template's."""
    code = feedback.shown(submission.reference)
    with translation.override(submission.answer_language):
        url = links.site_url() + reverse("outreach_ask:status", args=[code])
        subject = gettext("Answer to your question %(code)s") % {"code": code}
        text = submission.answer
        if submission.answer_channel == "sms" and sms.size(text).parts > sms.MAX_PARTS:
            text = gettext(
                "Bản Làng: the answer to your question %(code)s is too long for SMS; "
                "read it at %(url)s"
            ) % {"code": code, "url": url}
        elif submission.answer_channel == "email":
            text += "\n\n" + gettext("Your question and its answer: %(url)s") % {"url": url}
    return queue_answer(submission, text=text, subject=subject, link=url)
