"""E-mail through Django's e-mail backend: SMTP, or a provider's API through django-anymail.

Each message is multipart (text and HTML), says its language, and carries RFC 8058 one-click
unsubscribe headers, which the large mail services show as an "Unsubscribe" button.
"""

import contextlib
import smtplib
import threading
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils.html import escape

from outreach.channels.base import Outgoing, PermanentFailure, Sent, TemporaryFailure


def headers(message: Outgoing) -> dict[str, str]:
    """The message's own headers: language, idempotency and one-click unsubscribe."""
    found = {"Content-Language": message.language, "X-Banlang-Key": message.key}
    if message.unsubscribe_url:
        found["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        found["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return found


def html_body(message: Outgoing) -> str:
    """The HTML part: the message itself where one was written, else the text, escaped."""
    if message.html:
        return message.html
    paragraphs = "".join(f"<p>{escape(part)}</p>" for part in message.text.split("\n\n"))
    return (
        f'<!doctype html><html lang="{escape(message.language)}"><body>{paragraphs}</body></html>'
    )


_connections = threading.local()


def _connection() -> Any:
    """This thread's open connection to the e-mail backend: a sender keeps one for all its
    messages instead of a new SMTP session (and its round trips) for each. Changed settings
    (another backend or server) get a new connection."""
    wanted = (settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT)
    if getattr(_connections, "settings", None) != wanted:
        _close()
    if getattr(_connections, "current", None) is None:
        connection = get_connection(fail_silently=False)
        connection.open()
        _connections.current, _connections.settings = connection, wanted
    return _connections.current


def _close() -> None:
    connection = getattr(_connections, "current", None)
    _connections.current = _connections.settings = None
    if connection is not None:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.close()


def _send(email: EmailMultiAlternatives) -> None:
    """Send on the kept connection; one the server closed while idle is opened again once."""
    try:
        _connection().send_messages([email])
    except (smtplib.SMTPServerDisconnected, ConnectionError):
        _close()
        _connection().send_messages([email])


class EmailChannel:
    """Sends through ``EMAIL_BACKEND`` on a connection each sender keeps open."""

    def send(self, message: Outgoing) -> Sent:
        """Send ``message`` to its address; SMTP's 4xx and lost connections are temporary."""
        email = EmailMultiAlternatives(
            subject=message.subject, body=message.text, to=[message.to], headers=headers(message)
        )
        email.attach_alternative(html_body(message), "text/html")
        message_id = f"<{message.key}@banlang>"
        email.extra_headers["Message-ID"] = message_id
        try:
            _send(email)
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            if 400 <= code < 500:
                raise TemporaryFailure(f"{code} {reply!r}") from error
            raise PermanentFailure(f"{code} {reply!r}", gone=code in (550, 551, 553)) from error
        except smtplib.SMTPResponseException as error:
            if 400 <= error.smtp_code < 500:
                raise TemporaryFailure(f"{error.smtp_code} {error.smtp_error!r}") from error
            raise PermanentFailure(f"{error.smtp_code} {error.smtp_error!r}") from error
        except (smtplib.SMTPException, OSError) as error:
            _close()
            raise TemporaryFailure(str(error) or type(error).__name__) from error
        return Sent(provider_id=message_id)
