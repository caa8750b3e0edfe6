"""The consent texts a person agrees to, each with its version, and how agreeing is recorded.

Changing a text's meaning means a new version: records keep the text as shown, so what each
person agreed to stays provable (Law 91/2025/QH15 on Personal Data Protection, Art. 9; Decree
356/2025, on the proof of consent).
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cms.text_language import shown_message
from outreach.models import ConsentMethod, ConsentRecord, Contact, Purpose


@dataclass(frozen=True)
class ConsentText:
    """What a person agrees to for one purpose."""

    purpose: Purpose
    version: str
    text: Promise


CONSENT_TEXTS: dict[str, ConsentText] = {
    Purpose.BULLETINS: ConsentText(
        Purpose.BULLETINS,
        "2026-12-06",
        _(
            "I agree that Bản Làng uses my phone number or e-mail address, my place, my topics and "
            "my language to send me news on those topics, at most a few messages a day and none "
            "at night, until I withdraw. I can withdraw at any time by replying HUY or STOP, or "
            "by the link in every message."
        ),
    ),
    Purpose.ALERTS: ConsentText(
        Purpose.ALERTS,
        "2026-12-06",
        _(
            "I agree that Bản Làng uses my phone number or e-mail address, my place and my "
            "language to send me urgent alerts for my place (storms, floods, outbreaks), at any "
            "hour, until I withdraw. I can withdraw at any time by replying HUY or STOP, or by "
            "the link in every message."
        ),
    ),
}


@dataclass(frozen=True)
class PaperForm:
    """The proof of consents given on a signed paper form: its reference and the day signed."""

    reference: str
    signed_on: datetime.date


def record_consent(
    contact: Contact,
    purpose: str,
    method: ConsentMethod,
    entered_by: User | None = None,
    paper: PaperForm | None = None,
) -> ConsentRecord:
    """Record that the holder of ``contact`` agreed to ``purpose``'s text as it is shown now
    (as printed, for a ``paper`` form an officer ``entered_by`` enters)."""
    consent = CONSENT_TEXTS[purpose]
    shown = shown_message(consent.text)
    return ConsentRecord.objects.create(
        subscriber=contact.subscriber,
        purpose=purpose,
        channel=contact.channel,
        method=method,
        version=consent.version,
        text=str(consent.text),
        language=shown.lang,
        entered_by=entered_by,
        form_reference=paper.reference if paper else "",
        signed_on=paper.signed_on if paper else None,
    )
