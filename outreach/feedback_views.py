"""The public pages of residents' submissions: asking, following one by its code, and the
questions published with their answers ("you asked, we answered").

An unknown code is answered like any missing page (404), with the lookup form again. The
asking and status pages are never cached: the form carries a token, the status a person's
question. A published question shows only what was published, never its code.
"""

from django import forms
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cms.languages import CONTENT_LANGUAGES
from cms.login_throttling import client_ip_address
from cms.text_language import reading_code
from cms.topics import Topic
from outreach import abuse, feedback
from outreach.feedback_forms import AskForm, CodeLookupForm
from outreach.forms import ProvinceForm, provinces
from outreach.models import Submission

PUBLIC_FIELDS = (
    "kind", "topic", "language", "province__name", "office__name", "public_question", "answer",
    "answer_language", "answer_vi", "answered_at", "published_at",
)  # fmt: skip
"""All a published submission shows: never its text as sent, its code or how to reach its
resident."""
PER_PAGE = 20
"""Published questions to a page."""


@never_cache
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    """Step one chooses the province (``?province=``); step two the rest, and sends it. What
    the abuse screening suspects is taken all the same, and held for moderation."""
    chooser = ProvinceForm(request.GET if "province" in request.GET else None)
    if not chooser.is_valid():
        return render(request, "outreach/ask.html", {"chooser": chooser})
    province = chooser.cleaned_data["province"]
    form = AskForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"language": reading_code()},
        province=province,
    )
    if request.method == "POST" and form.is_valid():
        verdict = abuse.screen(
            form.cleaned_data["text"],
            language=form.cleaned_data["language"],
            honeypot=form.cleaned_data["website"],
            client=client_ip_address(request),
            phone_hash=form.answer_hash(),
        )
        submission = feedback.receive(form.received(held_because=verdict.reasons))
        return redirect(reverse("outreach_ask:status", args=[feedback.shown(submission.reference)]))
    status = 400 if request.method == "POST" else 200
    context = {
        "chooser": chooser,
        "province": province,
        "form": form,
        "languages": CONTENT_LANGUAGES,
    }
    return render(request, "outreach/ask.html", context, status=status)


@never_cache
@require_http_methods(["GET"])
def lookup(request: HttpRequest) -> HttpResponse:
    """The code form; a known code leads to its page, an unknown one is said so (404)."""
    form = CodeLookupForm(request.GET if "code" in request.GET else None)
    if form.is_valid():
        submission = feedback.find(form.cleaned_data["code"])
        if submission is not None:
            return redirect(
                reverse("outreach_ask:status", args=[feedback.shown(submission.reference)])
            )
        return render(
            request, "outreach/ask_lookup.html", {"form": form, "unknown": True}, status=404
        )
    return render(request, "outreach/ask_lookup.html", {"form": form})


@never_cache
@require_http_methods(["GET"])
def status(request: HttpRequest, code: str) -> HttpResponse:
    """Where a submission is, and its answer once there is one."""
    submission = feedback.find(code)
    if submission is None:
        raise Http404
    context = {
        "submission": submission,
        "code": feedback.shown(submission.reference),
        "files": submission.files.only("kind", "seconds").order_by("kind"),
        "received_on": timezone.localdate(submission.received_at),
        "due_on": timezone.localdate(submission.due_at) if submission.due_at else None,
    }
    return render(request, "outreach/ask_status.html", context)


class AnsweredFilter(forms.Form):
    """The public list's filters: a topic, a province."""

    topic = forms.ChoiceField(
        label=_("Topic"), choices=[("", _("All topics")), *Topic.choices], required=False
    )
    province = forms.ModelChoiceField(
        label=_("Province or city"),
        queryset=provinces(),
        required=False,
        empty_label=_("All provinces"),
    )


def published_for_readers() -> QuerySet[Submission]:
    """The published submissions with only what readers are shown of them, newest first."""
    return (
        feedback.published()
        .select_related("office", "province")
        .only(*PUBLIC_FIELDS)
        .order_by("-published_at", "-pk")
    )


@require_http_methods(["GET"])
def answered_list(request: HttpRequest) -> HttpResponse:
    """The published questions and answers ("you asked, we answered"), by topic and province."""
    filters = AnsweredFilter(request.GET)
    shown = published_for_readers()
    if filters.is_valid():
        if filters.cleaned_data["topic"]:
            shown = shown.filter(topic=filters.cleaned_data["topic"])
        if filters.cleaned_data["province"]:
            shown = shown.filter(province=filters.cleaned_data["province"])
    listing = Paginator(shown, PER_PAGE).get_page(request.GET.get("page"))
    entries = [(item, timezone.localdate(item.published_at)) for item in listing.object_list]
    context = {"filters": filters, "listing": listing, "entries": entries}
    return render(request, "outreach/answered_list.html", context)


@require_http_methods(["GET"])
def answered(request: HttpRequest, pk: int) -> HttpResponse:
    """One published question and its answer; any other number is a missing page."""
    submission = published_for_readers().filter(pk=pk).first()
    if submission is None:
        raise Http404
    return render(request, "outreach/answered.html", {"submission": submission})
