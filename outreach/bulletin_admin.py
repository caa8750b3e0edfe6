"""The bulletins in the admin: each one's audience and delivery, approval, and re-sending.

Counts are by state, channel, language and province, never by person.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from outreach import sms
from outreach.bulletin_preview import audience_preview, in_vietnam_time, texts_preview
from outreach.bulletins import SecondPersonNeeded
from outreach.models import Bulletin, BulletinState, Channel, Message, MessageState
from outreach.tasks import enqueue_sending, send_bulletin

LISTED = 100
"""How many of the newest bulletins the list shows."""


@permission_required("outreach.view_bulletin", raise_exception=True)
def bulletin_list(request: HttpRequest) -> HttpResponse:
    """The newest bulletins with their audience and how many messages are in each state."""
    bulletins = list(Bulletin.objects.order_by("-created_at")[:LISTED])
    rows = (
        Message.objects.filter(bulletin__in=bulletins)
        .values_list("bulletin", "state")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {}
    for bulletin_pk, state, count in rows:
        counts.setdefault(bulletin_pk, {})[state] = count
    listed = [(bulletin, counts.get(bulletin.pk, {})) for bulletin in bulletins]
    context = {"bulletins": listed, "states": MessageState.choices}
    return TemplateResponse(request, "outreach/admin/bulletins.html", context)


@permission_required("outreach.view_bulletin", raise_exception=True)
def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One bulletin: when it goes, what each channel gets in each language with the SMS size,
    its audience counted, delivery by state, channel, language and province, and the failures
    with their reasons."""
    bulletin = get_object_or_404(Bulletin, pk=pk)
    sent = Message.objects.filter(bulletin=bulletin)
    by = {
        name: list(sent.values_list(field, "state").annotate(count=Count("pk")).order_by(field))
        for name, field in (
            ("channel", "channel"),
            ("language", "language"),
            ("province", "contact__subscriber__province__name"),
        )
    }
    failures = (
        sent.filter(state__in=[MessageState.FAILED, MessageState.EXPIRED])
        .values_list("channel", "error")
        .annotate(count=Count("pk"))
        .order_by("-count")
    )
    texts = list(bulletin.texts.all())
    written = [text.language for text in texts]
    context = {
        "bulletin": bulletin,
        "previews": texts_preview(bulletin, texts),
        "audience": (
            audience_preview(bulletin, written) if bulletin.state != BulletinState.SENT else None
        ),
        "schedule": in_vietnam_time(bulletin.send_at) if bulletin.send_at else "",
        "by": by,
        "failures": failures,
        "can_send": bulletin.state in (BulletinState.DRAFT, BulletinState.AWAITING_APPROVAL),
        "can_edit": bulletin.state == BulletinState.DRAFT
        and request.user.has_perm("outreach.change_bulletin"),
        "sms": Channel.SMS in bulletin.channels,
    }
    return TemplateResponse(request, "outreach/admin/bulletin.html", context)


@require_POST
@permission_required("outreach.change_bulletin", raise_exception=True)
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve and send a draft, or a bulletin waiting for a second person."""
    bulletin = get_object_or_404(
        Bulletin, pk=pk, state__in=[BulletinState.DRAFT, BulletinState.AWAITING_APPROVAL]
    )
    try:
        send_bulletin(bulletin, request.user)
    except SecondPersonNeeded:
        messages.error(
            request, _("This bulletin reaches many people: another person must approve it.")
        )
    except sms.TooLong as error:
        messages.error(
            request,
            _("A text is too long for SMS: %(units)s characters in %(parts)s parts.")
            % {"units": error.size.units, "parts": error.size.parts},
        )
    else:
        messages.success(request, _("The bulletin is being sent."))
    return redirect(reverse("outreach_bulletin", args=[pk]))


@require_POST
@permission_required("outreach.change_bulletin", raise_exception=True)
def resend_failed(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the bulletin's failed and expired messages again, as new tries."""
    bulletin = get_object_or_404(Bulletin, pk=pk)
    failed = Message.objects.filter(
        bulletin=bulletin, state__in=[MessageState.FAILED, MessageState.EXPIRED]
    )
    with transaction.atomic():
        count = failed.update(
            state=MessageState.QUEUED,
            attempts=0,
            error="",
            due_at=timezone.now(),
            lease_until=None,
        )
        Bulletin.objects.filter(pk=bulletin.pk).update(state=BulletinState.SENDING)
        enqueue_sending(bulletin.urgent)
    messages.success(request, _("%(count)s messages will be sent again.") % {"count": count})
    return redirect(reverse("outreach_bulletin", args=[pk]))
