"""The public forms of subscriptions: every field checked, every error in the reader's language.

The place is chosen in two steps that need no JavaScript: the province first (a ``GET`` form
that reloads the page), then the commune among that province's communes.
"""

import base64
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cms.languages import CONTENT_LANGUAGES
from cms.topics import Topic
from heritage.models import COMMUNE_LEVELS, Place
from outreach import subscriptions
from outreach.consent import CONSENT_TEXTS
from outreach.contacts import normalize_email, normalize_phone
from outreach.models import Channel, Purpose, Subscriber
from outreach.subscriptions import Request

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def provinces() -> Any:
    """Today's provinces and centrally-run cities."""
    return Place.objects.current().provinces().order_by("name")


MAX_PUSH_JSON = 2048
"""A push subscription's JSON is a few hundred characters: an endpoint and two keys."""
PUSH_KEY_LENGTHS = {"p256dh": 65, "auth": 16}
"""The decoded sizes of a subscription's keys (RFC 8291): a P-256 point and an auth secret."""


def push_subscription(text: str) -> dict[str, Any]:
    """A browser's ``PushSubscription`` JSON, checked: an https endpoint and both keys."""
    invalid = ValidationError(
        _("This browser's notification subscription could not be read. Try again."), code="push"
    )
    try:
        data = json.loads(text)
        endpoint, keys = data["endpoint"], data["keys"]
        decoded = {name: base64.urlsafe_b64decode(keys[name] + "==") for name in PUSH_KEY_LENGTHS}
    except (ValueError, KeyError, TypeError) as error:
        raise invalid from error
    parsed = urlsplit(endpoint) if isinstance(endpoint, str) else None
    if (
        parsed is None
        or parsed.scheme != "https"
        or not parsed.hostname
        or len(endpoint) > 1000
        or any(len(decoded[name]) != size for name, size in PUSH_KEY_LENGTHS.items())
    ):
        raise invalid
    return {"endpoint": endpoint, "keys": {name: keys[name] for name in PUSH_KEY_LENGTHS}}


def phone_field(label: "StrOrPromise", **options: Any) -> forms.CharField:
    """An optional mobile number, typed on a phone's number pad."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        **options,
    )


def email_field() -> forms.CharField:
    """An optional e-mail address."""
    return forms.CharField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}),
    )


class ProvinceForm(forms.Form):
    """The first step: which province."""

    province = forms.ModelChoiceField(
        queryset=provinces(), label=_("Province or city"), empty_label=None
    )


class SubscribeForm(forms.Form):
    """What to receive, where, in which language, on which channels, with which consents.

    No box is ticked before the person ticks it (consent must be explicit).
    """

    language = forms.ChoiceField(
        label=_("Language of the messages"),
        choices=[(language.code, language.name_native) for language in CONTENT_LANGUAGES],
    )
    commune = forms.ModelChoiceField(
        queryset=Place.objects.none(),
        label=_("Commune or ward"),
        required=False,
        empty_label=_("The whole province"),
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    purposes = forms.MultipleChoiceField(
        label=_("What I agree to"),
        choices=[(purpose, consent.text) for purpose, consent in CONSENT_TEXTS.items()],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one of these to subscribe.")},
    )
    phone = phone_field(_("Mobile number (SMS)"))
    zalo = phone_field(
        _("Phone number with Zalo"),
        help_text=_(
            "Zalo sends the same short news and alerts as SMS, as messages from the Bản Làng "
            "official account to the Zalo account of this number. The first is a code to "
            "confirm."
        ),
    )
    email = email_field()
    agency = forms.CharField(
        label=_("Agency (for agency staff)"),
        required=False,
        max_length=200,
    )
    push_subscription = forms.CharField(
        required=False, max_length=MAX_PUSH_JSON, widget=forms.HiddenInput
    )
    """Filled in by ``static/js/push.js`` where the browser can receive notifications."""

    def __init__(self, *args: Any, province: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.province = province
        communes = Place.objects.current().filter(parent=province, level__in=COMMUNE_LEVELS)
        commune = self.fields["commune"]
        assert isinstance(commune, forms.ModelChoiceField)  # as declared above
        commune.queryset = communes.order_by("name")

    def clean_phone(self) -> str:
        """The number in E.164, or empty."""
        text = self.cleaned_data["phone"].strip()
        return normalize_phone(text) if text else ""

    def clean_zalo(self) -> str:
        """The number of the Zalo account in E.164, or empty."""
        text = self.cleaned_data["zalo"].strip()
        return normalize_phone(text) if text else ""

    def clean_email(self) -> str:
        """The address with its domain in lower case, or empty."""
        text = self.cleaned_data["email"].strip()
        if not text:
            return ""
        try:
            return normalize_email(text)
        except ValidationError as error:
            raise ValidationError(
                _("Enter an e-mail address, for example ten@example.vn."), code="email"
            ) from error

    def clean_push_subscription(self) -> dict[str, Any] | None:
        """The browser's push subscription, checked, or ``None``."""
        text = self.cleaned_data["push_subscription"].strip()
        return push_subscription(text) if text else None

    def clean(self) -> dict[str, Any]:
        """At least one way to reach the person; topics for news."""
        super().clean()
        data = self.cleaned_data
        contacts = ("phone", "zalo", "email", "push_subscription")
        given = any(name in self.errors or data.get(name) for name in contacts)
        if not given:
            raise ValidationError(
                _("Enter a mobile number, an e-mail address, or both."), code="no_contact"
            )
        if Purpose.BULLETINS in data.get("purposes", []) and not data.get("topics"):
            self.add_error("topics", _("Choose at least one topic to get news on."))
        return data

    def addresses(self) -> dict[str, str]:
        """Each channel given, with its number, address or push endpoint."""
        data = self.cleaned_data
        addresses: dict[str, str] = {}
        if data["phone"]:
            addresses[Channel.SMS] = data["phone"]
        if data["zalo"]:
            addresses[Channel.ZALO] = data["zalo"]
        if data["email"]:
            addresses[Channel.EMAIL] = data["email"]
        push = data.get("push_subscription")
        if push:
            addresses[Channel.PUSH] = push["endpoint"]
        return addresses

    def subscription(self) -> Request:
        """The validated request."""
        data = self.cleaned_data
        push = data.get("push_subscription")
        commune = data.get("commune")
        return Request(
            language=data["language"],
            province_id=self.province.pk,
            commune_id=commune.pk if commune else None,
            topics=list(data.get("topics", [])),
            purposes=list(data["purposes"]),
            addresses=self.addresses(),
            agency=data.get("agency", "").strip(),
            push_keys=push["keys"] if push else None,
        )


CODE_LABELS = {
    Channel.SMS: _("Code from the SMS"),
    Channel.ZALO: _("Code from the Zalo message"),
    "": _("Code from the message"),
}
"""What the code field is called, by the channel the code came through ("" when it is not
for the page to say)."""


class CodeForm(forms.Form):
    """The code sent by SMS or Zalo."""

    code = forms.CharField(
        label=CODE_LABELS[Channel.SMS],
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}
        ),
    )

    def __init__(self, *args: Any, channel: str = Channel.SMS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = CODE_LABELS[channel]


class FindForm(forms.Form):
    """The number or address a person subscribed with, to be sent the way back to it."""

    contact = forms.CharField(
        label=_("Your mobile number or e-mail address"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )

    def clean_contact(self) -> str:
        """The number in E.164 or the address, canonical."""
        text = self.cleaned_data["contact"].strip()
        try:
            return normalize_email(text) if "@" in text else normalize_phone(text)
        except ValidationError as error:
            raise ValidationError(
                _(
                    "Enter a Vietnamese mobile number (for example 0912 345 678) or an e-mail "
                    "address (for example ten@example.vn)."
                ),
                code="contact",
            ) from error

    @property
    def by_email(self) -> bool:
        """Whether the person gave an e-mail address (else a phone number)."""
        return "@" in self.cleaned_data["contact"]


class ManageForm(SubscribeForm):
    """A subscriber correcting what is kept about them: place, language, topics, consents.

    Unticking a consent withdraws it; ticking one records it anew. Contacts are changed by
    withdrawing one and subscribing the other, so each new address is confirmed.
    """

    def __init__(self, *args: Any, subscriber: Subscriber, province: Place, **kwargs: Any) -> None:
        consents = subscriber.consents.filter(withdrawn_at__isnull=True)
        kwargs.setdefault(
            "initial",
            {
                "language": subscriber.language,
                "commune": subscriber.commune_id if subscriber.province_id == province.pk else None,
                "topics": subscriber.topics,
                "purposes": sorted({consent.purpose for consent in consents}),
                "agency": subscriber.agency,
            },
        )
        super().__init__(*args, province=province, **kwargs)
        self.subscriber = subscriber
        del self.fields["phone"]
        del self.fields["zalo"]
        del self.fields["email"]
        del self.fields["push_subscription"]

    def clean(self) -> dict[str, Any]:
        """Topics for news; contacts are not on this form."""
        forms.Form.clean(self)
        data = self.cleaned_data
        if Purpose.BULLETINS in data.get("purposes", []) and not data.get("topics"):
            self.add_error("topics", _("Choose at least one topic to get news on."))
        return data

    def save(self) -> None:
        """Write the corrections, and the consents given and withdrawn, all or nothing."""
        data = self.cleaned_data
        subscriptions.correct(
            self.subscriber,
            language=data["language"],
            province_id=self.province.pk,
            commune_id=data["commune"].pk if data.get("commune") else None,
            topics=list(data.get("topics", [])),
            purposes=list(data["purposes"]),
            agency=data.get("agency", "").strip(),
        )
