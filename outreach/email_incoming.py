"""Questions by e-mail: what Mailgun's inbound route webhook posts, checked and taken.

A Mailgun route whose action is ``forward("https://…/outreach/email/inbound/")`` posts each mail
to the questions address in its fully parsed form: ``application/x-www-form-urlencoded``, or
``multipart/form-data`` when the mail has attachments. Of its fields this module reads:

* ``sender`` (the SMTP ``MAIL FROM``), ``recipient`` (the ``RCPT TO``), ``from`` and
  ``subject`` (the headers);
* ``body-plain``, always there, and ``stripped-text``, the same without quoted parts and
  signature block, there when Mailgun could find them;
* ``message-headers``: every header of the mail, in order, as a JSON list of ``[name, value]``;
* ``timestamp`` (Unix seconds), ``token`` (50 random characters) and ``signature``, the hex
  HMAC-SHA256 of ``timestamp + token`` keyed by the webhook signing key.

A request is taken only when signed with ``BANLANG_OUTREACH["INBOUND_EMAIL_SIGNING_KEY"]`` (empty:
none is), stamped within ``INBOUND_MAX_AGE_SECONDS`` of now, and carrying a token not seen
before (tokens are kept in the default cache, shared by every process in production).

Attachments (``attachment-count``, ``attachment-1``…) are ignored in this version: they are
skipped unread (``DiscardAttachments``), neither held in memory nor written to disk, and the
question is its text alone.

The question is ``stripped-text`` (``body-plain`` when Mailgun sent none; the subject when the
body is empty), in NFC and trimmed, of ``feedback_forms.MIN_TEXT`` to ``MAX_TEXT`` characters.
Its language is the plus-tag of the address it was sent to (``hoi+jra@…`` is Jarai) when we serve
that language, else Vietnamese. Writing to us is asking to be answered by e-mail at the sender's
address (``EMAIL_ANSWER_CONSENT``). The question is screened as one by SMS is (``outreach.abuse``,
counted by the sender's address), routed by the rules with no place (so to a rule for everywhere,
or to triage), and acknowledged by e-mail with its code and its page, in its language.

Mail a machine sent (auto-replies, bounces, mailing lists and bulk mail; RFC 3834) is accepted
and nothing is kept or sent: answering it could start a mail loop.
"""

import hashlib
import hmac
import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.utils.translation import gettext

from cms.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES
from cms.text import nfc
from outreach import abuse, feedback, links, outbox
from outreach.contacts import contact_hash, normalize_email
from outreach.feedback_forms import MAX_TEXT, MIN_TEXT
from outreach.models import Channel, Message, Submission, SubmissionKind

EMAIL_ANSWER_CONSENT = (
    "A question by e-mail: the sender's address is used to send the answer by e-mail."
)
"""What a question sent by e-mail consents to, kept with it as its proof."""
REQUIRED_FIELDS = ("sender", "recipient", "body-plain", "message-headers")
"""The fields without which a post is not a mail forwarded by Mailgun."""
AUTOMATIC_SENDERS = frozenset({"mailer-daemon", "postmaster"})
"""Local parts of the addresses bounces and mail servers' own reports come from."""
BULK_PRECEDENCE = frozenset({"bulk", "junk", "list"})
"""``Precedence`` values of mail sent to many, never answered."""
_TOKEN_KEY = "outreach.inbound_email.token"
_FIRST_WORD = re.compile(r"\s*([^\s;(]*)")


class MalformedEmail(ValueError):
    """A post that is not what Mailgun's contract says; its message is the answer's ``error``."""


class TooLarge(Exception):
    """A body with more text than Django reads into memory (``DATA_UPLOAD_MAX_MEMORY_SIZE``)."""


class Outcome(StrEnum):
    """What became of one mail, as the webhook's answer says."""

    RECEIVED = "received"
    AUTOMATIC = "automatic"
    """Sent by a machine: nothing kept or sent."""
    TOO_SHORT = "too short"
    TOO_LONG = "too long"


@dataclass(frozen=True)
class InboundEmail:
    """One mail as Mailgun forwards it: the fields this version reads."""

    sender: str
    """The SMTP ``MAIL FROM`` as given: where an answer goes (RFC 3834), empty for a bounce."""
    recipient: str
    from_header: str
    subject: str
    body_plain: str
    stripped_text: str | None
    """``None`` when Mailgun could not tell the new text from what it quotes."""
    headers: tuple[tuple[str, str], ...]


class DiscardAttachments(FileUploadHandler):
    """Skips every file of a multipart body unread: the attachments, which this version
    ignores."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        """Skip the file that starts here."""
        raise SkipFile

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        """Never called for a skipped file."""
        return None

    def file_complete(self, file_size: int) -> None:
        """Never called for a skipped file."""
        return None


def form(request: HttpRequest) -> QueryDict:
    """The posted fields, attachments skipped unread; ``TooLarge`` for more text than Django
    reads, ``MalformedEmail`` for a body that is no form."""
    request.upload_handlers = [DiscardAttachments(request)]
    try:
        return request.POST
    except RequestDataTooBig as error:
        raise TooLarge from error
    except (MultiPartParserError, SuspiciousOperation) as error:
        raise MalformedEmail("expected Mailgun's form fields") from error


def signature(key: str, timestamp: str, token: str) -> str:
    """What Mailgun signs a post with: the hex HMAC-SHA256 of ``timestamp + token``."""
    return hmac.new(key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()


def authentic(fields: QueryDict) -> bool:
    """Whether ``fields`` come from Mailgun, now and for the first time: signed with the signing
    key, stamped within ``INBOUND_MAX_AGE_SECONDS``, with a token not used before."""
    key = settings.BANLANG_OUTREACH["INBOUND_EMAIL_SIGNING_KEY"]
    timestamp, token, given = (fields.get(name, "") for name in ("timestamp", "token", "signature"))
    if not key or not token or not _recent(timestamp):
        return False
    if not hmac.compare_digest(given.encode(), signature(key, timestamp, token).encode()):
        return False
    return _first_use(token, int(timestamp))


def _max_age() -> int:
    return int(settings.BANLANG_OUTREACH["INBOUND_MAX_AGE_SECONDS"])


def _recent(timestamp: str) -> bool:
    """Whether ``timestamp`` is Unix seconds within the allowed age of now, either way."""
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
        return False
    return abs(time.time() - int(timestamp)) <= _max_age()


def _first_use(token: str, timestamp: int) -> bool:
    """Remember ``token`` for as long as a post stamped ``timestamp`` would pass; whether it
    was new. The check and the remembering are one atomic ``cache.add``."""
    keep = max(1, timestamp + _max_age() - int(time.time()) + 1)
    digest = hashlib.sha256(token.encode()).hexdigest()
    return bool(caches["default"].add(f"{_TOKEN_KEY}:{digest}", 1, keep))


def parse(fields: Mapping[str, str]) -> InboundEmail:
    """The mail in ``fields``; ``MalformedEmail`` when a field is missing or
    ``message-headers`` is not a JSON list of ``[name, value]`` pairs."""
    missing = [name for name in REQUIRED_FIELDS if name not in fields]
    if missing:
        raise MalformedEmail(f"missing fields: {', '.join(missing)}")
    return InboundEmail(
        sender=fields["sender"].strip(),
        recipient=fields["recipient"].strip(),
        from_header=fields.get("from", ""),
        subject=fields.get("subject", ""),
        body_plain=fields["body-plain"],
        stripped_text=fields.get("stripped-text"),
        headers=_headers(fields["message-headers"]),
    )


def _headers(text: str) -> tuple[tuple[str, str], ...]:
    """``message-headers`` read: each header's name and value, in order."""
    error = "'message-headers' must be a JSON list of [name, value] pairs"
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as failure:
        raise MalformedEmail(error) from failure
    if not isinstance(data, list) or not all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(part, str) for part in pair)
        for pair in data
    ):
        raise MalformedEmail(error)
    return tuple((name, value) for name, value in data)


def is_automatic(email: InboundEmail) -> bool:
    """Whether a machine sent ``email`` (RFC 3834): no sender or a mail server's own address
    (``MAILER-DAEMON``, ``postmaster``), ``Auto-Submitted`` other than ``no``, ``Precedence``
    bulk, junk or list, or a ``List-Id``."""
    if not email.sender.strip("<> ") or _daemon(email.sender):
        return True
    if _daemon(parseaddr(email.from_header)[1]):
        return True
    for name, value in email.headers:
        first = _FIRST_WORD.match(value)
        assert first is not None  # the pattern matches any text, if only emptily
        name, word = name.strip().casefold(), first[1].casefold()
        if name == "auto-submitted" and word != "no":
            return True
        if name == "precedence" and word in BULK_PRECEDENCE:
            return True
        if name == "list-id":
            return True
    return False


def _daemon(address: str) -> bool:
    """Whether ``address`` is a mail server's own, which bounces and reports come from."""
    local = address.strip("<> ").rpartition("@")[0] or address.strip("<> ")
    return local.casefold() in AUTOMATIC_SENDERS


def answer_address(email: InboundEmail) -> str:
    """The sender's address as kept, to answer to; ``MalformedEmail`` if it is none."""
    try:
        return normalize_email(email.sender.strip("<>"))
    except ValidationError as error:
        raise MalformedEmail("'sender' is not an e-mail address") from error


def language_of(recipient: str) -> str:
    """The language of a question sent to ``recipient``: its plus-tag (``hoi+jra@…``) when we
    serve that language, else Vietnamese."""
    local = parseaddr(recipient)[1].rpartition("@")[0]
    tag = local.partition("+")[2].casefold()
    return tag if tag in LANGUAGE_CODES else DEFAULT_LANGUAGE


def question_of(email: InboundEmail) -> str:
    """What the resident asks, in NFC and trimmed: the new text of the mail (all of its text
    when Mailgun could not find the new part), or its subject when the text is empty."""
    body = email.stripped_text if email.stripped_text is not None else email.body_plain
    return nfc(body).strip() or nfc(email.subject).strip()


def take(email: InboundEmail) -> Outcome:
    """Take ``email`` as a question to be answered by e-mail, screened, routed and acknowledged.
    Nothing is kept or sent for mail a machine sent; a question too short or too long is not
    kept, and its sender is told how to ask (``explain``). ``MalformedEmail`` for a sender that
    is no address."""
    if is_automatic(email):
        return Outcome.AUTOMATIC
    address = answer_address(email)
    question = question_of(email)
    language = language_of(email.recipient)
    if len(question) < MIN_TEXT or len(question) > MAX_TEXT:
        outcome = Outcome.TOO_SHORT if len(question) < MIN_TEXT else Outcome.TOO_LONG
        explain(address, language, outcome)
        return outcome
    # Counted and remembered by the sender's address, as a question by SMS is by its number.
    verdict = abuse.screen(
        question, language=language, phone_hash=contact_hash(Channel.EMAIL, address)
    )
    with transaction.atomic():
        submission = feedback.receive(
            feedback.Received(
                kind=SubmissionKind.QUESTION,
                text=question,
                language=language,
                came_by=Channel.EMAIL,
                answer_channel=Channel.EMAIL,
                answer_to=address,
                consent_text=EMAIL_ANSWER_CONSENT,
                held_because=verdict.reasons,
            )
        )
        acknowledge(submission)
    return Outcome.RECEIVED


EXPLAINED_SECONDS = 24 * 3600
"""An address is told how to ask at most once in this time: a sender's address can be forged,
and nobody should be able to make us write to someone over and over."""


def explain(address: str, language: str, outcome: Outcome) -> Message | None:
    """Put in the outbox, once a day at most per address, the e-mail that tells why a question
    was not taken and how to ask, in ``language``; ``None`` when it was told already."""
    told = f"outreach:email-explained:{contact_hash(Channel.EMAIL, address)}"
    if not caches["default"].add(told, 1, EXPLAINED_SECONDS):
        return None
    url = f"{links.site_url()}/{language}/ask/"
    with translation.override(language):
        subject = gettext("Bản Làng could not take your question")
        if outcome == Outcome.TOO_SHORT:
            reason = gettext(
                "We found no question in your e-mail. Write it in the e-mail itself, in at "
                "least %(least)s letters."
            ) % {"least": MIN_TEXT}
        else:
            reason = gettext(
                "Your e-mail is longer than %(most)s letters. Write your question in fewer "
                "words, or send it in parts."
            ) % {"most": MAX_TEXT}
        text = reason + "\n\n" + gettext("You can also ask on the web: %(url)s") % {"url": url}
    return outbox.queue_reply(Channel.EMAIL, address, language=language, text=text, subject=subject)


def acknowledge(submission: Submission) -> Message:
    """Put in the outbox the e-mail that tells the resident their question's code and page, in
    its language, to be sent once the question is stored."""
    language = submission.language
    code = feedback.shown(submission.reference)
    url = f"{links.site_url()}/{language}/ask/{code}/"
    with translation.override(language):
        subject = gettext("Bản Làng: your question %(code)s is received") % {"code": code}
        text = gettext(
            "Bản Làng has received your question. Its code is %(code)s.\n\n"
            "The answer will come by e-mail to this address. Follow your question and read "
            "the answer at %(url)s"
        ) % {"code": code, "url": url}
    # Sent as an answer: delivery sends those to the submission's own address, and an
    # acknowledgement that fails shows on the office's page with the answers that failed.
    return outbox.queue_answer(submission, subject=subject, text=text, link=url)
