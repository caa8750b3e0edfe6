"""E-mail through Django's e-mail backend: SMTP, or a provider's API through django-anymail.

Each message is multipart (text and HTML), says its language, and carries RFC 8058 one-click
unsubscribe headers, which the large mail services show as an "Unsubscribe" button.
"""

import smtplib

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


class EmailChannel:
    """Sends through ``EMAIL_BACKEND``, one connection per message."""

    def send(self, message: Outgoing) -> Sent:
        """Send ``message`` to its address; SMTP's 4xx and lost connections are temporary."""
        email = EmailMultiAlternatives(
            subject=message.subject, body=message.text, to=[message.to], headers=headers(message)
        )
        email.attach_alternative(html_body(message), "text/html")
        message_id = f"<{message.key}@banlang>"
        email.extra_headers["Message-ID"] = message_id
        try:
            with get_connection(fail_silently=False) as connection:
                connection.send_messages([email])
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
            raise TemporaryFailure(str(error) or type(error).__name__) from error
        return Sent(provider_id=message_id)
