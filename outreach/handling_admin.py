"""Residents' submissions in the admin: each office's queue, and the page where a submission
is handled (answered, noted, reassigned, escalated, released from moderation, closed).

Office staff see their offices' submissions, coordinators all of them (``outreach.handling``).
A submission someone may not see is answered exactly like one that does not exist (404), and
how to reach its resident is shown only to the office handling it.
"""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages

from cms.admin_filters import FilterForm
from cms.languages import DEFAULT_LANGUAGE, django_languages
from cms.topics import Topic
from outreach import feedback, handling
from outreach.handling import CLOSING, OPEN, HandlingRefused
from outreach.models import (
    Message,
    MessageState,
    Office,
    Submission,
    SubmissionFile,
    SubmissionState,
)
from outreach.models.messages import MessageKind

PER_PAGE = 50
UNDELIVERED = (MessageState.FAILED, MessageState.EXPIRED)
TRIAGE = "triage"
"""The office filter's value for submissions no office has yet: in triage or held."""
EVERY_STATE = "all"
"""The state filter's value for every state; without one, the queue shows those waiting."""
LONG_OR_PERSONAL = ("text", "answer", "answer_vi", "answer_to", "consent_text")
"""What the queue never shows, left in the database."""
WAITING = OPEN | {SubmissionState.MODERATION}
"""Waiting for someone: with an office, in triage or held for moderation."""


class CountedPaginator(Paginator):
    """A paginator told how many there are when the counts by state already say it, instead
    of counting them again."""

    object_list: QuerySet[Submission]

    def __init__(self, object_list: QuerySet[Submission], per_page: int, known: int | None) -> None:
        super().__init__(object_list, per_page)
        self.known = known

    @cached_property
    def count(self) -> int:
        """The count given, or the query's."""
        return self.object_list.count() if self.known is None else self.known


def may_use_queue(user: handling.Actor) -> bool:
    """Whether ``user`` has a queue: a coordinator, or staff of an office."""
    return handling.may_triage(user) or handling.offices_of(user).exists()


class QueueFilter(FilterForm):
    """The queue's filters, from the query string; a value not understood is ignored."""

    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        required=False,
        choices=[
            ("", gettext_lazy("Not yet done")),
            *SubmissionState.choices,
            (EVERY_STATE, gettext_lazy("All")),
        ],
    )
    topic = forms.ChoiceField(
        label=gettext_lazy("Topic"), required=False, choices=[("", "—"), *Topic.choices]
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language"), required=False, choices=[("", "—"), *django_languages()]
    )
    office = forms.ChoiceField(label=gettext_lazy("Office"), required=False)
    overdue = forms.BooleanField(label=gettext_lazy("Overdue only"), required=False)

    def __init__(self, *args: Any, coordinator: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if coordinator:
            offices = [(str(office.pk), str(office)) for office in Office.objects.all()]
            office = self.fields["office"]
            assert isinstance(office, forms.ChoiceField)  # as declared above
            office.choices = [
                ("", "—"),
                (TRIAGE, gettext_lazy("No office yet (triage or held)")),
                *offices,
            ]
        else:
            del self.fields["office"]

    def filtered(self, submissions: QuerySet[Submission]) -> QuerySet[Submission]:
        """``submissions`` narrowed by every filter but the state and overdue ones."""
        for name in ("topic", "language"):
            if self.value(name):
                submissions = submissions.filter(**{name: self.value(name)})
        office = self.value("office")
        if office == TRIAGE:
            submissions = submissions.filter(office__isnull=True)
        elif office:
            submissions = submissions.filter(office_id=int(office))
        return submissions


@never_cache
@require_http_methods(["GET"])
def queue(request: HttpRequest) -> HttpResponse:
    """The submissions the user may see, the most urgent first, with counts by state."""
    user = request.user
    if not may_use_queue(user):
        raise PermissionDenied
    coordinator = handling.may_triage(user)
    filters = QueueFilter(request.GET, coordinator=coordinator)
    now = timezone.now()
    narrowed = filters.filtered(handling.visible_to(user))
    by_state = dict(
        narrowed.order_by()
        .values_list("state")
        .annotate(count=Count("pk"))
        .values_list("state", "count")
    )
    counts = [(value, label, by_state.get(value, 0)) for value, label in SubmissionState.choices]
    state = filters.value("state")
    total: int | None
    if state == EVERY_STATE:
        listed, total = narrowed, sum(by_state.values())
    else:
        states = {state} if state else WAITING
        listed = narrowed.filter(state__in=states)
        total = sum(by_state.get(value, 0) for value in states)
    if filters.value("overdue"):
        listed, total = listed.filter(state__in=WAITING, due_at__lt=now), None
    undelivered = Message.objects.filter(
        submission=OuterRef("pk"), kind=MessageKind.ANSWER, state__in=UNDELIVERED
    )
    listed = (
        listed.select_related("office", "province", "commune")
        .defer(*LONG_OR_PERSONAL)
        .annotate(undelivered=Exists(undelivered))
        .order_by("due_at", "pk")
    )
    page = CountedPaginator(listed, PER_PAGE, total).get_page(request.GET.get("page"))
    rows = [
        (submission, feedback.shown(submission.reference), urgency(submission, now))
        for submission in page
    ]
    context = {
        "filters": filters,
        "counts": counts,
        "page": page,
        "rows": rows,
        "coordinator": coordinator,
    }
    return TemplateResponse(request, "outreach/admin/questions.html", context)


def urgency(submission: Submission, now: datetime.datetime) -> str:
    """``overdue``, ``soon`` (due within three days) or ``""`` for a submission waiting;
    ``""`` for any other."""
    if submission.state not in WAITING or submission.due_at is None:
        return ""
    if submission.due_at < now:
        return "overdue"
    return "soon" if submission.due_at < now + handling.DUE_SOON else ""


class AnswerForm(forms.Form):
    """The answer, in the resident's language unless chosen otherwise, with its Vietnamese."""

    text = forms.CharField(label=gettext_lazy("Answer"), widget=forms.Textarea(attrs={"rows": 6}))
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the answer"), choices=django_languages()
    )
    vietnamese = forms.CharField(
        label=gettext_lazy("The answer in Vietnamese"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Required for an answer in another language: it is kept and shown beside it."
        ),
    )

    def clean(self) -> dict[str, Any]:
        """The Vietnamese beside an answer in another language."""
        super().clean()
        data = self.cleaned_data
        language = data.get("language")
        if language and language != DEFAULT_LANGUAGE and not data.get("vietnamese", "").strip():
            self.add_error("vietnamese", str(handling.VIETNAMESE_NEEDED))
        return data


class NoteForm(forms.Form):
    """A note for the log."""

    text = forms.CharField(label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class ReassignForm(forms.Form):
    """Another office to hand the submission to."""

    office = forms.ModelChoiceField(label=gettext_lazy("Office"), queryset=Office.objects.none())
    note = forms.CharField(label=gettext_lazy("Why"), required=False)

    def __init__(self, *args: Any, submission: Submission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offices = Office.objects.all()
        if submission.office_id is not None:
            offices = offices.exclude(pk=submission.office_id)
        office = self.fields["office"]
        assert isinstance(office, forms.ModelChoiceField)  # as declared above
        office.queryset = offices


class EscalateForm(forms.Form):
    """Why the office above should take it."""

    note = forms.CharField(label=gettext_lazy("Why"), required=False)


class CloseForm(forms.Form):
    """How the submission ends, and why."""

    state = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        choices=[(value, label) for value, label in SubmissionState.choices if value in CLOSING],
    )
    note = forms.CharField(label=gettext_lazy("Why"), required=False)


class PublishForm(forms.Form):
    """The question as the public will read it."""

    question = forms.CharField(
        label=gettext_lazy("Question as published"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Remove names, phone numbers, addresses and anything else that tells who asked."
        ),
    )


ACTIONS = (
    "start", "answer", "note", "reassign", "escalate", "release", "close", "publish", "unpublish",
)  # fmt: skip


def _forms(submission: Submission, data: Any = None, action: str = "") -> dict[str, forms.Form]:
    """Each action's form, ``action``'s bound to ``data``."""

    def bound(name: str) -> Any:
        return data if name == action else None

    return {
        "answer": AnswerForm(
            bound("answer"), prefix="answer", initial={"language": submission.language}
        ),
        "note": NoteForm(bound("note"), prefix="note"),
        "reassign": ReassignForm(bound("reassign"), prefix="reassign", submission=submission),
        "escalate": EscalateForm(bound("escalate"), prefix="escalate"),
        "close": CloseForm(bound("close"), prefix="close"),
        "start": forms.Form(bound("start"), prefix="start"),
        "release": forms.Form(bound("release"), prefix="release"),
        "publish": PublishForm(
            bound("publish"),
            prefix="publish",
            initial={"question": submission.public_question or submission.text},
        ),
        "unpublish": forms.Form(bound("unpublish"), prefix="unpublish"),
    }


def _take(action: str, submission: Submission, user: handling.Actor, data: dict[str, Any]) -> str:
    """Take ``action`` with the form's ``data``; what to tell the user it did."""
    if action == "start":
        handling.start(submission, user)
        return _("Marked as in progress.")
    if action == "answer":
        sent = handling.answer(
            submission,
            user,
            text=data["text"],
            language=data["language"],
            vietnamese=data["vietnamese"],
        )
        if sent is None:
            return _("The answer is saved; the resident reads it on the page of their code.")
        return _("The answer is saved and is being sent to the resident.")
    if action == "note":
        handling.note(submission, user, data["text"])
        return _("The note is added.")
    if action == "reassign":
        handling.reassign(submission, user, data["office"], data["note"])
        return _("Handed to %(office)s.") % {"office": data["office"]}
    if action == "escalate":
        handling.escalate(submission, user, data["note"])
        return _("Sent to the office above: %(office)s.") % {"office": submission.office}
    if action == "release":
        handling.release(submission, user)
        return _("Released from moderation.")
    if action == "publish":
        handling.publish(submission, user, data["question"])
        return _("Published with its answer.")
    if action == "unpublish":
        handling.unpublish(submission, user)
        return _("Taken off the public pages.")
    handling.close(submission, user, data["state"], data["note"])
    return _("Closed as “%(state)s”.") % {"state": submission.get_state_display()}


@never_cache
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, pk: int) -> HttpResponse:
    """One submission: what was sent, its log, what could not be delivered, how to reach the
    resident (to its office only) and the forms of each step; a step refused shows the page
    again with why, nothing changed."""
    user = request.user
    submission = (
        handling.visible_to(user)
        .select_related("office__parent", "province", "commune")
        .filter(pk=pk)
        .first()
    )
    if submission is None:
        raise Http404
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST" and action not in ACTIONS:
        return HttpResponseBadRequest()
    step_forms = _forms(submission, request.POST if action else None, action)
    refused = ""
    if action:
        form = step_forms[action]
        if form.is_valid():
            try:
                said = _take(action, submission, user, form.cleaned_data)
            except HandlingRefused as error:
                refused = str(error)
            else:
                messages.success(request, said)
                return redirect(reverse("outreach_question", args=[pk]))
    code = feedback.shown(submission.reference)
    context = {
        "submission": submission,
        "code": code,
        "title": f"{submission.get_kind_display()} {code}",
        "forms": step_forms,
        "refused": refused,
        "events": submission.events.select_related("actor", "office"),
        "undelivered": submission.messages.filter(
            kind=MessageKind.ANSWER, state__in=UNDELIVERED
        ).order_by("-created_at"),
        "contact": handling.handles(user, submission),
        "files": submission.files.order_by("kind")
        if handling.may_see_files(user, submission)
        else SubmissionFile.objects.none(),
        "has_files": submission.files.exists(),
        "coordinator": handling.may_triage(user),
        "is_open": submission.state in OPEN,
        "may_close": submission.state in OPEN | {SubmissionState.ANSWERED},
        "held": submission.state == SubmissionState.MODERATION,
        "may_publish": submission.may_publish
        and bool(submission.answer)
        and submission.state in (SubmissionState.ANSWERED, SubmissionState.CLOSED),
        "urgency": urgency(submission, timezone.now()),
    }
    status = 400 if action else 200
    return TemplateResponse(request, "outreach/admin/question.html", context, status=status)
