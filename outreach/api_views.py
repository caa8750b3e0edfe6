"""Endpoints for providers, not people: inbound SMS and delivery receipts from an HTTP gateway,
and inbound e-mail from Mailgun (its contract is in ``outreach.email_incoming``).

The gateway POSTs JSON ``{"from": "+849…", "text": "…"}`` with two headers:
``X-Banlang-Timestamp`` (Unix seconds) and ``X-Banlang-Signature``, the hex HMAC-SHA256 of
``"<timestamp>.<body>"`` under ``BANLANG_OUTREACH["INBOUND_SMS_SECRET"]``. The answer is the reply
to send back: ``{"reply": "…", "language": "vi", "encoding": "ucs2", "parts": 1}``.
"""

import hashlib
import hmac
import json
import time

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from outreach import email_incoming, inbound, receipts, sms
from outreach.models import Channel, MessageState

MAX_BODY = 4096
"""An inbound SMS is at most a few hundred characters; anything larger is not one."""
MAX_RECEIPTS = 1000
"""The most receipts one request may carry."""
MAX_RECEIPTS_BODY = MAX_RECEIPTS * 256
"""A receipt takes well under 256 bytes."""
MAX_EMAIL_BODY = 25 * 1024**2
"""A mail as Mailgun forwards it, attachments included: they are skipped unread
(``email_incoming.DiscardAttachments``), so a question sent with a few photos is still taken."""


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The signature a gateway sends for ``body`` at ``timestamp``."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def _authentic(request: HttpRequest) -> bool:
    secret = settings.BANLANG_OUTREACH["INBOUND_SMS_SECRET"]
    timestamp = request.headers.get("X-Banlang-Timestamp", "")
    given = request.headers.get("X-Banlang-Signature", "")
    if not secret or not timestamp.isascii() or not timestamp.isdigit():
        return False
    if abs(time.time() - int(timestamp)) > settings.BANLANG_OUTREACH["INBOUND_MAX_AGE_SECONDS"]:
        return False
    return hmac.compare_digest(given, signature(secret, timestamp, request.body))


GATEWAY_STATES = {
    "delivered": MessageState.DELIVERED,
    "failed": MessageState.FAILED,
    "expired": MessageState.EXPIRED,
}
"""What an HTTP gateway's receipt may say, and the final state it means."""


class BadReceipts(ValueError):
    """A receipt request that is not what the gateway contract says; its message is the
    answer's ``error``."""


def _receipt(item: object) -> receipts.Receipt:
    """One receipt of the contract, ``{"id": "<part id>", "status": "delivered"}``; a status
    that is not final changes nothing."""
    if not isinstance(item, dict) or "id" not in item or "status" not in item:
        raise BadReceipts("expected JSON with 'id' and 'status'")
    status = item["status"]
    state = GATEWAY_STATES.get(status) if isinstance(status, str) else None
    return receipts.Receipt(str(item["id"]), state)


def _receipts(body: bytes) -> tuple[list[receipts.Receipt], bool]:
    """The receipts in ``body``, and whether it was a batch."""
    try:
        data = json.loads(body)
    except ValueError as error:
        raise BadReceipts("expected JSON with 'id' and 'status'") from error
    if not isinstance(data, dict) or "receipts" not in data:
        return [_receipt(data)], False
    items = data["receipts"]
    if not isinstance(items, list) or len(items) > MAX_RECEIPTS:
        raise BadReceipts(f"'receipts' must be a list of at most {MAX_RECEIPTS} receipts")
    return [_receipt(item) for item in items], True


@csrf_exempt
@require_POST
def sms_receipt(request: HttpRequest) -> JsonResponse:
    """Delivery receipts from the HTTP gateway, signed as inbound messages are: one,
    ``{"id": "<part id>", "status": "delivered"}``, answered with its message's state
    ``{"state": "delivered"}``; or up to ``MAX_RECEIPTS`` as ``{"receipts": [...]}``, applied
    together and answered ``{"states": {"<part id>": "delivered", ...}}``. A malformed batch is
    refused whole. Late, repeated and out-of-order receipts are harmless."""
    too_long = int(request.headers.get("Content-Length") or 0) > MAX_RECEIPTS_BODY
    if too_long or not _authentic(request):
        return JsonResponse({"error": "forbidden"}, status=403)
    try:
        batch, many = _receipts(request.body)
    except BadReceipts as error:
        return JsonResponse({"error": str(error)}, status=400)
    states = receipts.record_many(batch, Channel.SMS)
    if many:
        return JsonResponse({"states": states})
    return JsonResponse({"state": states[batch[0].provider_id]})


@csrf_exempt
@require_POST
def inbound_sms(request: HttpRequest) -> JsonResponse:
    """Answer one inbound SMS; 403 for an unsigned or stale request, 400 for a malformed one."""
    if int(request.headers.get("Content-Length") or 0) > MAX_BODY or not _authentic(request):
        return JsonResponse({"error": "forbidden"}, status=403)
    try:
        data = json.loads(request.body)
        sender, text = data["from"], data["text"]
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "expected JSON with 'from' and 'text'"}, status=400)
    if not isinstance(sender, str) or not isinstance(text, str):
        return JsonResponse({"error": "'from' and 'text' must be strings"}, status=400)
    reply = inbound.handle(sender, text)
    size = sms.size(reply.text)
    return JsonResponse(
        {
            "reply": reply.text,
            "language": reply.language,
            "encoding": size.encoding,
            "parts": size.parts,
        }
    )


def _declared_length(request: HttpRequest) -> int:
    """The body's length as the request declares it; one that is no number counts as too long."""
    declared = request.headers.get("Content-Length") or "0"
    if not (declared.isascii() and declared.isdigit()) or len(declared) > 15:
        return MAX_EMAIL_BODY + 1
    return int(declared)


@csrf_exempt
@require_POST
def inbound_email(request: HttpRequest) -> JsonResponse:
    """Take one mail forwarded by Mailgun's route (``outreach.email_incoming``): 403 for one
    unsigned, stale, replayed or too large, 400 for a malformed one; else 200 with what became
    of it, ``{"status": "received"}``, or ``"automatic"``, ``"too short"`` or ``"too long"``
    for one accepted with nothing kept."""
    forbidden = JsonResponse({"error": "forbidden"}, status=403)
    if _declared_length(request) > MAX_EMAIL_BODY:
        return forbidden
    try:
        fields = email_incoming.form(request)
    except email_incoming.TooLarge:
        return forbidden
    except email_incoming.MalformedEmail as error:
        return JsonResponse({"error": str(error)}, status=400)
    if not email_incoming.authentic(fields):
        return forbidden
    try:
        outcome = email_incoming.take(email_incoming.parse(fields))
    except email_incoming.MalformedEmail as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"status": outcome})
