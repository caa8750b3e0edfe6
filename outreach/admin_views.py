"""The outbox in the admin: what was sent or would have been, counted by state and channel.

Contacts are shown by their last digits only, and never beside a language: the report is about
messages, not about people.
"""

from django.contrib.auth.decorators import permission_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from outreach.models import Channel, Message, MessageState

SHOWN = 200
"""How many of the newest messages the report lists."""


@permission_required("outreach.view_message", raise_exception=True)
def outbox_report(request: HttpRequest) -> HttpResponse:
    """The newest messages, filtered by ``?state=`` and ``?channel=``, with counts."""
    messages = Message.objects.all()
    state = request.GET.get("state", "")
    channel = request.GET.get("channel", "")
    if state in MessageState.values:
        messages = messages.filter(state=state)
    if channel in Channel.values:
        messages = messages.filter(channel=channel)
    counts = (
        Message.objects.values("channel", "state").annotate(count=Count("pk")).order_by("channel")
    )
    context = {
        "outbox": messages.select_related("contact").order_by("-created_at")[:SHOWN],
        "counts": counts,
        "states": MessageState.choices,
        "channels": Channel.choices,
        "state": state,
        "channel": channel,
    }
    return TemplateResponse(request, "outreach/admin/outbox.html", context)
