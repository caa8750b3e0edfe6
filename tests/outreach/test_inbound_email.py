"""Questions by e-mail, forwarded by Mailgun's inbound route webhook: signed form posts, taken as
questions in the language of the address's plus-tag, acknowledged by e-mail with their code;
automatic mail and anything unsigned, stale or replayed are never taken."""

import hashlib
import hmac
import json
import secrets
import time
import unicodedata
from urllib.parse import urlencode

import pytest

from outreach import email_incoming, feedback
from outreach.api_views import MAX_EMAIL_BODY
from outreach.models import Message, MessageState, Office, RoutingRule, Submission
from outreach.models.messages import MessageKind
from tests.outreach.smtp_server import smtp_server

pytestmark = pytest.mark.usefixtures("home")

KEY = "mailgun-webhook-signing-key"
URL = "/outreach/email/inbound/"
SENDER = "H.Nie@Example.VN"
ADDRESS = "H.Nie@example.vn"
"""``SENDER`` as kept: the domain in lower case."""
QUESTION = "Khi nào đường vào buôn Ea Súp được sửa? Mùa mưa xe không vào được."
QUOTED = "\n\nVào Th 2, Bản Làng <hoi@banlang.example> đã viết:\n> Câu hỏi trước"
BOUNDARY = "4d2f1f8a6a4e4d3c9f0e2b7c1a5d8e36"


@pytest.fixture(autouse=True)
def signing_key(settings):
    settings.BANLANG_OUTREACH = {**settings.BANLANG_OUTREACH, "INBOUND_EMAIL_SIGNING_KEY": KEY}


def headers(*extra: tuple[str, str]) -> list[list[str]]:
    """``message-headers`` of an ordinary mail from ``SENDER``, with ``extra`` ones."""
    return [
        ["Received", "from mail.example.vn by mxa.mailgun.org with ESMTP"],
        ["From", f"H Nie <{SENDER}>"],
        ["To", "hoi+jra@banlang.example"],
        ["Subject", "Đường vào buôn"],
        ["Content-Type", 'text/plain; charset="UTF-8"'],
        *[list(pair) for pair in extra],
    ]


def mail(**fields) -> dict[str, str]:
    """The fields Mailgun posts for a mail from ``SENDER`` to ``hoi+jra@…``, changed by
    ``fields`` (``None`` leaves one out); underscores stand for dashes."""
    text = fields.pop("text", QUESTION)
    found = {
        "recipient": "hoi+jra@banlang.example",
        "sender": SENDER,
        "from": f"H Nie <{SENDER}>",
        "subject": "Đường vào buôn",
        "body-plain": f"{text}{QUOTED}\n\n-- \nH Nie",
        "stripped-text": text,
        "stripped-signature": "H Nie",
        "message-headers": json.dumps(headers()),
    }
    for name, value in fields.items():
        found[name.replace("_", "-")] = value
    return {name: value for name, value in found.items() if value is not None}


def signed(fields: dict[str, str], *, key: str = KEY, timestamp: float | None = None) -> dict:
    """``fields`` with Mailgun's ``timestamp``, a fresh 50-character ``token`` and their
    ``signature``: the hex HMAC-SHA256 of ``timestamp + token`` under ``key``."""
    stamp = str(int(time.time() if timestamp is None else timestamp))
    token = secrets.token_hex(25)
    digest = hmac.new(key.encode(), (stamp + token).encode(), hashlib.sha256).hexdigest()
    return {**fields, "timestamp": stamp, "token": token, "signature": digest}


def urlencoded(fields: dict[str, str]) -> tuple[bytes, str]:
    """The body of a mail without attachments, as Mailgun posts it."""
    return urlencode(fields).encode(), "application/x-www-form-urlencoded"


def multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """The body of a mail with attachments (name, content type, bytes), as Mailgun posts it:
    ``attachment-count`` and a file part ``attachment-1``, ``attachment-2``… for each."""
    fields = {**fields, "attachment-count": str(len(files))}
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    for number, (filename, content_type, content) in enumerate(files, start=1):
        disposition = f'form-data; name="attachment-{number}"; filename="{filename}"'
        head = f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n"
        parts.append(f"{head}Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n")
    body = b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()
    return body, f"multipart/form-data; boundary={BOUNDARY}"


def post(client, encoded: tuple[bytes, str], **extra):
    body, content_type = encoded
    return client.post(URL, body, content_type=content_type, **extra)


def send(client, **fields):
    """Post a signed mail from ``SENDER`` changed by ``fields`` (see ``mail``)."""
    return post(client, urlencoded(signed(mail(**fields))))


@pytest.fixture
def office():
    """An office every question goes to, by a rule for any topic and place."""
    office = Office.objects.create(name="Văn phòng tiếp dân tỉnh")
    RoutingRule.objects.create(topic="", place=None, office=office)
    return office


@pytest.fixture
def smtp(settings):
    """E-mail through SMTP to a local server (aiosmtpd); the other channels to the outbox."""
    settings.BANLANG_OUTREACH = {
        **settings.BANLANG_OUTREACH,
        "CHANNELS": {
            **settings.BANLANG_OUTREACH["CHANNELS"],
            "email": "outreach.channels.email.EmailChannel",
        },
        "RETRY_DELAY_SECONDS": 0,
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with smtp_server() as (mailbox, port):
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        yield mailbox


def test_a_signed_question_is_taken_in_the_plus_tags_language_and_routed(client, office):
    response = send(client)
    assert (response.status_code, response.json()) == (200, {"status": "received"})
    asked = Submission.objects.get()
    assert (asked.text, asked.kind, asked.language) == (QUESTION, "question", "jra")
    assert (asked.came_by, asked.answer_channel, asked.answer_to) == ("email", "email", ADDRESS)
    assert asked.consent_text == email_incoming.EMAIL_ANSWER_CONSENT
    assert asked.consented_at is not None
    assert (asked.state, asked.office, asked.province, asked.commune) == (
        "assigned",
        office,
        None,
        None,
    )
    assert list(asked.events.order_by("pk").values_list("kind", flat=True)) == [
        "received",
        "routed",
    ]
    code = feedback.shown(asked.reference)
    (acknowledgement,) = Message.objects.all()
    assert (acknowledgement.submission, acknowledgement.contact) == (asked, None)
    assert (acknowledgement.channel, acknowledgement.kind) == ("email", MessageKind.ANSWER)
    assert acknowledgement.language == "jra"
    assert acknowledgement.link == f"http://testserver/jra/ask/{code}/"
    assert code in acknowledgement.subject
    # No Jarai catalogue: the Vietnamese, which gettext falls back to.
    assert acknowledgement.text == (
        f"Bản Làng đã nhận câu hỏi của bạn, mã {code}.\n\n"
        "Câu trả lời sẽ được gửi qua e-mail tới địa chỉ này. Theo dõi câu hỏi và đọc câu trả "
        f"lời tại http://testserver/jra/ask/{code}/"
    )


def test_the_acknowledgement_arrives_by_smtp_with_the_code(
    client, office, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert send(client, recipient="hoi+en@banlang.example").status_code == 200
    code = feedback.shown(Submission.objects.get().reference)
    (received,) = smtp.received
    assert smtp.recipients() == [ADDRESS]
    assert received["To"] == ADDRESS
    # Python folds a long encoded subject onto a line of its own: unfolded, it starts blank.
    assert received["Subject"].strip() == f"Bản Làng: your question {code} is received"
    assert received["Content-Language"] == "en"
    text = received.get_body(("plain",)).get_content()
    assert text.startswith(f"Bản Làng has received your question. Its code is {code}.")
    assert f"http://testserver/en/ask/{code}/" in text
    assert Message.objects.get().state == MessageState.SENT


def test_a_mail_with_attachments_is_taken_and_its_attachments_ignored(client, office):
    photo = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40
    files = [("duong.jpg", "image/jpeg", photo), ("note.txt", "text/plain", b"ghi chu")]
    response = post(client, multipart(signed(mail()), files))
    assert (response.status_code, response.json()) == (200, {"status": "received"})
    asked = Submission.objects.get()
    assert asked.text == QUESTION and "attachment" not in asked.text
    assert Message.objects.count() == 1


def test_attachments_are_skipped_unread(rf):
    files = [("duong.jpg", "image/jpeg", b"\xff\xd8" * 5000)]
    body, content_type = multipart(mail(), files)
    request = rf.post(URL, body, content_type=content_type)
    fields = email_incoming.form(request)
    assert (fields["attachment-count"], fields["stripped-text"]) == ("1", QUESTION)
    assert "attachment-1" not in fields and len(request.FILES) == 0


@pytest.mark.parametrize(
    ("recipient", "language"),
    [
        ("hoi@banlang.example", "vi"),
        ("hoi+xx@banlang.example", "vi"),
        ("hoi+vi-vn@banlang.example", "vi"),
        ("hoi+KM@banlang.example", "km"),
        ("hoi+cmo@banlang.example", "cmo"),
    ],
)
def test_the_language_is_the_plus_tag_when_we_serve_it_else_vietnamese(
    client, office, recipient, language
):
    assert send(client, recipient=recipient).status_code == 200
    assert Submission.objects.get().language == language
    assert Message.objects.get().language == language


def test_the_whole_text_when_no_stripped_text_and_the_subject_when_no_text(client, office):
    send(client, stripped_text=None, body_plain=f"  {QUESTION}\n")
    send(client, text="", body_plain="", subject="  Khi nào có thẻ bảo hiểm y tế cho trẻ em? ")
    texts = list(Submission.objects.order_by("pk").values_list("text", flat=True))
    assert texts == [QUESTION, "Khi nào có thẻ bảo hiểm y tế cho trẻ em?"]
    assert Message.objects.count() == 2


def test_the_question_is_kept_in_nfc(client, office):
    send(client, text=unicodedata.normalize("NFD", QUESTION))
    assert Submission.objects.get().text == QUESTION


def test_without_a_matching_rule_it_waits_in_triage(client):
    assert send(client).status_code == 200
    asked = Submission.objects.get()
    assert (asked.state, asked.office) == ("received", None)
    assert list(asked.events.order_by("pk").values_list("kind", flat=True)) == [
        "received",
        "triage",
    ]
    assert Message.objects.count() == 1


def forged(fields: dict[str, str], how: str) -> dict[str, str]:
    """``fields`` signed, then spoilt as ``how`` says."""
    if how == "unsigned":
        return dict(fields)
    if how == "no signature":
        return {name: value for name, value in signed(fields).items() if name != "signature"}
    if how == "wrong key":
        return signed(fields, key="not-the-key")
    if how == "stale":
        return signed(fields, timestamp=time.time() - 3600)
    if how == "from the future":
        return signed(fields, timestamp=time.time() + 3600)
    if how == "other token":
        return {**signed(fields), "token": secrets.token_hex(25)}
    if how == "timestamp not a number":
        good = signed(fields)
        return {**good, "timestamp": f"{good['timestamp']}.0"}
    raise AssertionError(how)


@pytest.mark.parametrize(
    "how",
    [
        "unsigned",
        "no signature",
        "wrong key",
        "stale",
        "from the future",
        "other token",
        "timestamp not a number",
    ],
)
def test_an_unsigned_forged_or_stale_mail_is_refused_and_nothing_kept(client, office, how):
    response = post(client, urlencoded(forged(mail(), how)))
    assert (response.status_code, response.json()) == (403, {"error": "forbidden"})
    assert (Submission.objects.count(), Message.objects.count()) == (0, 0)
    assert send(client).status_code == 200  # control: the same mail, signed
    assert (Submission.objects.count(), Message.objects.count()) == (1, 1)


def test_a_replayed_request_is_refused(client, office):
    body = urlencoded(signed(mail()))
    assert post(client, body).status_code == 200
    assert post(client, body).status_code == 403
    assert (Submission.objects.count(), Message.objects.count()) == (1, 1)
    assert send(client, text=f"{QUESTION} Xin cảm ơn.").status_code == 200  # a new token
    assert (Submission.objects.count(), Message.objects.count()) == (2, 2)


def test_without_a_signing_key_the_endpoint_refuses_everything(client, settings, office):
    settings.BANLANG_OUTREACH = {**settings.BANLANG_OUTREACH, "INBOUND_EMAIL_SIGNING_KEY": ""}
    assert post(client, urlencoded(signed(mail(), key=""))).status_code == 403
    assert post(client, urlencoded(signed(mail()))).status_code == 403
    assert client.get(URL).status_code == 405
    assert (Submission.objects.count(), Message.objects.count()) == (0, 0)


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, office, monkeypatch):
    body, content_type = urlencoded(signed(mail()))
    monkeypatch.setattr("outreach.api_views.MAX_EMAIL_BODY", len(body) - 1)
    response = client.post(URL, body, content_type=content_type)
    assert (response.status_code, response.json()) == (403, {"error": "forbidden"})
    declared = client.post(
        URL, b"", content_type=content_type, CONTENT_LENGTH=str(MAX_EMAIL_BODY + 1)
    )
    assert declared.status_code == 403
    assert (Submission.objects.count(), Message.objects.count()) == (0, 0)
    monkeypatch.setattr("outreach.api_views.MAX_EMAIL_BODY", len(body))
    assert send(client).status_code == 200  # control: at the limit
    assert (Submission.objects.count(), Message.objects.count()) == (1, 1)


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"text": "", "body_plain": "", "subject": ""}, "too short"),
        ({"text": "  \n ", "subject": "Hỏi"}, "too short"),
        ({"text": "Đường?"}, "too short"),
        ({"text": "Đường sạt lở. " * 300}, "too long"),
    ],
    ids=["empty", "blank", "too short", "too long"],
)
def test_an_empty_or_too_long_question_is_not_kept_and_its_sender_is_told_how_to_ask_once(
    client, office, fields, status
):
    response = send(client, **fields)
    assert (response.status_code, response.json()) == (200, {"status": status})
    assert Submission.objects.count() == 0
    (reply,) = Message.objects.all()
    assert (reply.kind, reply.to, reply.channel, reply.language) == (
        MessageKind.REPLY, ADDRESS, "email", "jra",
    )  # fmt: skip
    why = "Không tìm thấy câu hỏi" if status == "too short" else "dài hơn 4000 chữ"
    assert why in reply.text and "http://testserver/jra/ask/" in reply.text
    assert send(client, **fields).json() == {"status": status}  # again the same day
    assert Message.objects.count() == 1  # told once: a forged sender is not written to again
    assert send(client).status_code == 200  # control
    assert (Submission.objects.count(), Message.objects.count()) == (1, 2)


def test_the_reply_to_a_question_not_taken_arrives_by_smtp_and_its_address_goes_in_time(
    client, office, smtp, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    from outreach.retention import erase_expired

    with django_capture_on_commit_callbacks(execute=True):
        send(client, text="", body_plain="", subject="", recipient="hoi+en@banlang.example")
    (received,) = smtp.received
    assert smtp.recipients() == [ADDRESS]
    assert received["Subject"].strip() == "Bản Làng could not take your question"
    assert (
        received.get_body(("plain",))
        .get_content()
        .startswith("We found no question in your e-mail.")
    )
    reply = Message.objects.get()
    assert reply.state == MessageState.SENT
    Message.objects.update(created_at=timezone.now() - datetime.timedelta(days=91))
    assert erase_expired().messages == 1
    assert Message.objects.get().to == ""


@pytest.mark.parametrize(
    "fields",
    [
        {"message_headers": json.dumps(headers(("Auto-Submitted", "auto-replied")))},
        {"message_headers": json.dumps(headers(("auto-submitted", "Auto-Generated (vacation)")))},
        {"message_headers": json.dumps(headers(("Precedence", "bulk")))},
        {"message_headers": json.dumps(headers(("Precedence", "Junk")))},
        {"message_headers": json.dumps(headers(("Precedence", "list")))},
        {"message_headers": json.dumps(headers(("List-Id", "<tin.banlang.example>")))},
        {"sender": ""},
        {"sender": "<>"},
        {"sender": "MAILER-DAEMON@mx.example.vn"},
        {"sender": "postmaster@example.vn"},
        {"from": "Mail Delivery Subsystem <mailer-daemon@googlemail.com>"},
    ],
    ids=[
        "auto-replied",
        "auto-generated",
        "bulk",
        "junk",
        "list",
        "list-id",
        "no sender",
        "null sender",
        "mailer-daemon",
        "postmaster",
        "mailer-daemon in from",
    ],
)
def test_mail_sent_by_a_machine_is_accepted_and_nothing_kept_or_sent(client, office, fields):
    response = send(client, **fields)
    assert (response.status_code, response.json()) == (200, {"status": "automatic"})
    assert (Submission.objects.count(), Message.objects.count()) == (0, 0)


def test_mail_that_says_it_is_not_automatic_or_first_class_is_taken(client, office):
    ordinary = headers(("Auto-Submitted", "no"), ("Precedence", "first-class"))
    assert send(client, message_headers=json.dumps(ordinary)).json() == {"status": "received"}
    assert (Submission.objects.count(), Message.objects.count()) == (1, 1)


def test_automatic_mail_with_a_bad_question_gets_nothing_either(client, office):
    bounce = json.dumps(headers(("Auto-Submitted", "auto-replied")))
    assert send(client, text="", message_headers=bounce).json() == {"status": "automatic"}
    assert (Submission.objects.count(), Message.objects.count()) == (0, 0)


def test_a_spam_like_question_is_held_for_moderation_not_dropped(client, office):
    spam = f"{QUESTION} Xem ảnh ở bit.ly/3xYz9Ab và t.me/duongsatlo"
    assert send(client, text=spam).json() == {"status": "received"}
    held = Submission.objects.get()
    assert (held.state, held.office, held.text) == ("moderation", None, spam)
    events = list(held.events.order_by("pk").values_list("kind", "note"))
    assert events == [("received", ""), ("held", "links")]
    # The resident still gets the code: nothing is dropped.
    assert Message.objects.get().submission == held


def test_the_sixth_question_in_ten_minutes_from_one_address_is_held(client, office):
    for number in range(6):
        send(client, text=f"{QUESTION} Lần thứ {number + 1}.")
    states = list(Submission.objects.order_by("pk").values_list("state", flat=True))
    assert states == ["assigned"] * 5 + ["moderation"]
    assert Submission.objects.order_by("pk").last().events.get(kind="held").note == "rate"
    send(client, sender="y.nie@example.vn", text=f"{QUESTION} Người khác.")
    assert Submission.objects.order_by("pk").last().state == "assigned"
    assert Message.objects.count() == 7


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"sender": None}, "missing fields: sender"),
        ({"recipient": None}, "missing fields: recipient"),
        ({"body_plain": None, "message_headers": None}, "missing fields: body-plain, "),
        ({"message_headers": "{not json"}, "'message-headers' must be"),
        ({"message_headers": '{"From": "a@example.vn"}'}, "'message-headers' must be"),
        ({"message_headers": '[["From"]]'}, "'message-headers' must be"),
        ({"message_headers": '[["From", 1]]'}, "'message-headers' must be"),
        ({"message_headers": "[" * 100_000 + "]" * 100_000}, "'message-headers' must be"),
        ({"sender": "not an address"}, "'sender' is not an e-mail address"),
        ({"sender": "a@b@example.vn"}, "'sender' is not an e-mail address"),
    ],
)
def test_a_malformed_mail_is_a_400_and_nothing_kept(client, office, fields, error):
    response = send(client, **fields)
    assert response.status_code == 400
    assert response.json()["error"].startswith(error)
    assert (Submission.objects.count(), Message.objects.count()) == (0, 0)


def test_a_body_that_is_no_form_is_a_400(client, office):
    broken = (b"--x\r\nContent-Disposition: form-data\r\n", "multipart/form-data; boundary=")
    assert post(client, broken).status_code == 400
    assert post(client, (b"{}", "application/json")).status_code == 403  # no signature in it
    assert (Submission.objects.count(), Message.objects.count()) == (0, 0)
