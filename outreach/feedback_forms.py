"""The public form of residents' questions, reports and proposals, and the code lookup.

Like subscribing, the place is chosen in two steps without JavaScript (``forms.ProvinceForm``
first). How to be answered is the resident's choice, none included; a number or an address is
asked for only with the channel it serves, and kept only with consent for that purpose.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from cms.languages import CONTENT_LANGUAGES
from cms.topics import Topic
from heritage.models import COMMUNE_LEVELS, Place
from outreach import feedback, feedback_files
from outreach.contacts import contact_hash, normalize_email, normalize_phone
from outreach.feedback_files import Attachment
from outreach.forms import email_field, phone_field
from outreach.models import Channel, SubmissionKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_TEXT = 4000
"""A question is read by a person: a few paragraphs at most."""
MIN_TEXT = 10
ANSWER_CONSENT = _(
    "I agree that this number or address is used only to send me the answer, and erased once "
    "my question has been closed for a year."
)
NO_ANSWER = ""


class AskForm(forms.Form):
    """A submission: its kind, topic, commune, text, language, and how to be answered."""

    kind = forms.ChoiceField(
        label=_("What do you send?"),
        choices=SubmissionKind.choices,
        initial=SubmissionKind.QUESTION,
        widget=forms.RadioSelect,
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices, widget=forms.RadioSelect)
    commune = forms.ModelChoiceField(
        queryset=Place.objects.none(),
        label=_("Commune or ward"),
        required=False,
        empty_label=_("The whole province"),
    )
    text = forms.CharField(
        label=_("Your question, report or proposal"),
        min_length=MIN_TEXT,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        strip=True,
        required=False,
    )
    voice = forms.FileField(
        label=_("Or say it: a voice message (optional)"),
        help_text=_("Record it with your phone, up to 5 minutes."),
        required=False,
        widget=forms.FileInput(attrs={"accept": "audio/*", "capture": "user"}),
    )
    photo = forms.FileField(
        label=_("A photo (optional)"),
        help_text=_("The place and the phone it was taken with are removed from it."),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/*"}),
    )
    language = forms.ChoiceField(
        label=_("Language you write in and want the answer in"),
        choices=[(language.code, language.name_native) for language in CONTENT_LANGUAGES],
    )
    answer_channel = forms.ChoiceField(
        label=_("How should we answer you?"),
        choices=[
            (NO_ANSWER, _("I will read the answer with my code")),
            (Channel.SMS, _("By SMS")),
            (Channel.ZALO, _("By Zalo")),
            (Channel.EMAIL, _("By e-mail")),
        ],
        initial=NO_ANSWER,
        required=False,
        widget=forms.RadioSelect,
    )
    phone = phone_field(_("Mobile number (SMS or Zalo)"))
    email = email_field()
    consent = forms.BooleanField(label=ANSWER_CONSENT, required=False)
    may_publish = forms.BooleanField(
        label=_(
            "The question and its answer may be published, without my name, number or address."
        ),
        required=False,
    )
    website = forms.CharField(label=_("Leave this empty"), required=False, max_length=200)
    """A field people do not see and robots fill in (a honeypot)."""

    def __init__(self, *args: Any, province: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.province = province
        communes = Place.objects.current().filter(parent=province, level__in=COMMUNE_LEVELS)
        commune = self.fields["commune"]
        assert isinstance(commune, forms.ModelChoiceField)  # as declared above
        commune.queryset = communes.order_by("name")

    def clean_photo(self) -> Attachment | None:
        """The photo re-encoded without its tags, or nothing."""
        return self._attachment("photo", feedback_files.check_photo)

    def clean_voice(self) -> Attachment | None:
        """The voice message once checked, or nothing."""
        return self._attachment("voice", feedback_files.check_voice)

    def _attachment(
        self, field: str, check: Callable[[UploadedFile], Attachment]
    ) -> Attachment | None:
        uploaded = self.cleaned_data.get(field)
        if not uploaded:
            return None
        try:
            return check(uploaded)
        except feedback_files.AttachmentRejected as rejection:
            raise forms.ValidationError(str(rejection), code="rejected_file") from None

    def clean(self) -> dict[str, Any]:
        """Something said (text or voice); the number or address the chosen channel needs,
        and consent to use it for that."""
        super().clean()
        cleaned = self.cleaned_data
        said = cleaned.get("text") or cleaned.get("voice")
        if not said and "text" not in self.errors and "voice" not in self.errors:
            self.add_error("text", _("Write your question, report or proposal, or record it."))
        channel = cleaned.get("answer_channel")
        if channel in (Channel.SMS, Channel.ZALO):
            cleaned["answer_to"] = self._address(
                "phone", normalize_phone, _("Write your mobile number, or choose another way.")
            )
        elif channel == Channel.EMAIL:
            cleaned["answer_to"] = self._address(
                "email", normalize_email, _("Write your e-mail address, or choose another way.")
            )
        else:
            cleaned["answer_to"] = ""
        if channel and not cleaned.get("consent"):
            self.add_error(
                "consent",
                _(
                    "Tick this to be answered by SMS, Zalo or e-mail; or choose to read the "
                    "answer with your code."
                ),
            )
        return cleaned

    def _address(self, field: str, normalize: Callable[[str], str], missing: "StrOrPromise") -> str:
        value = self.cleaned_data.get(field, "")
        if not value:
            self.add_error(field, missing)
            return ""
        try:
            return str(normalize(value))
        except forms.ValidationError as error:
            self.add_error(field, error)
            return ""

    def answer_hash(self) -> str:
        """The keyed hash of the number or address to answer to, or ``""``: what the abuse
        screening counts submissions by."""
        channel, address = self.cleaned_data["answer_channel"], self.cleaned_data["answer_to"]
        return contact_hash(channel, address) if channel and address else ""

    def received(self, held_because: tuple[str, ...] = ()) -> feedback.Received:
        """What was sent, for ``feedback.receive``; held for moderation for ``held_because``
        (``outreach.abuse``), if any."""
        data = self.cleaned_data
        return feedback.Received(
            kind=data["kind"],
            text=data["text"],
            language=data["language"],
            came_by="web",
            topic=data["topic"],
            province=self.province,
            commune=data["commune"],
            answer_channel=data["answer_channel"] or "",
            answer_to=data["answer_to"],
            consent_text=str(ANSWER_CONSENT) if data["answer_channel"] else "",
            may_publish=data["may_publish"],
            held_because=held_because,
            files=tuple(data[field] for field in ("photo", "voice") if data[field]),
        )


class CodeLookupForm(forms.Form):
    """The reference code a resident was given."""

    code = forms.CharField(
        label=_("Your reference code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
