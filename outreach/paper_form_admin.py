"""Entering a resident's signed paper form in the admin.

Commune officers collect subscription forms on paper from residents without a phone with
internet. An officer enters one here: its consents are recorded as given on paper, with the
form's reference, the day it was signed, the version of the consent text it printed and the
officer who entered it. Each number and address is still confirmed by its holder before
anything else is sent to it: a code by SMS or Zalo (which the resident can read out to the
officer, who enters it on the next page) and a link by e-mail.
"""

import datetime
from typing import Any

from django import forms
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from heritage.models import Place
from outreach import subscriptions
from outreach.consent import CONSENT_TEXTS, PaperForm
from outreach.forms import ProvinceForm, SubscribeForm
from outreach.models import Channel, ConsentMethod, ConsentRecord, Purpose, Subscriber
from outreach.views import PENDING_MAX_AGE, code_step, site_url

PAPER_SALT = "outreach.paper-form"
PAPER_CHANNELS = (Channel.SMS, Channel.ZALO, Channel.EMAIL)
"""The channels a paper form offers: a web push subscription needs the browser itself."""
ALREADY_ENTERED = _("This paper form was already entered.")


class PaperSubscriptionForm(SubscribeForm):
    """What a signed paper form says: the public form's place, topics, language, number,
    address and consents, with the channels ticked, the form's reference and signing day, and
    the version of the consent text it printed."""

    channels = forms.MultipleChoiceField(
        label=_("Channels ticked on the form"),
        choices=[(channel, Channel(channel).label) for channel in PAPER_CHANNELS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one of these to subscribe.")},
    )
    consent_version = forms.ChoiceField(
        label=_("Version of the consent text printed on the form"),
        choices=[
            (version, version) for version in sorted({t.version for t in CONSENT_TEXTS.values()})
        ],
    )
    reference = forms.CharField(
        label=_("Reference number of the form"),
        max_length=ConsentRecord._meta.get_field("form_reference").max_length,
    )
    signed_on = forms.DateField(
        label=_("Date signed"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, province: Place, **kwargs: Any) -> None:
        super().__init__(*args, province=province, **kwargs)
        for name in ("zalo", "agency", "push_subscription"):
            del self.fields[name]
        self.fields["phone"].label = _("Mobile number (for SMS and Zalo)")

    def clean_reference(self) -> str:
        """The reference, once: a form already entered is refused."""
        reference = self.cleaned_data["reference"].strip()
        if reference and _entered(reference):
            raise ValidationError(ALREADY_ENTERED, code="entered")
        return reference

    def clean_signed_on(self) -> datetime.date:
        """The day signed, not after today."""
        signed_on = self.cleaned_data["signed_on"]
        if signed_on > timezone.localdate():
            raise ValidationError(_("The date signed cannot be a day still to come."))
        return signed_on

    def clean(self) -> dict[str, Any]:
        """A number for SMS or Zalo and an address for e-mail, each only if ticked; topics for
        news; the consent text printed is the one in force for each purpose ticked."""
        forms.Form.clean(self)
        data = self.cleaned_data
        channels = set(data.get("channels", []))
        by_phone = bool(channels & {Channel.SMS, Channel.ZALO})
        if by_phone and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("The form ticks SMS or Zalo but has no phone number."))
        if data.get("phone") and channels and not by_phone:
            self.add_error(
                "phone", _("A phone number is given but neither SMS nor Zalo is ticked.")
            )
        if Channel.EMAIL in channels and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("The form ticks e-mail but has no e-mail address."))
        if data.get("email") and channels and Channel.EMAIL not in channels:
            self.add_error("email", _("An e-mail address is given but e-mail is not ticked."))
        purposes = data.get("purposes", [])
        if Purpose.BULLETINS in purposes and not data.get("topics"):
            self.add_error("topics", _("Choose at least one topic to get news on."))
        version = data.get("consent_version")
        if version and any(CONSENT_TEXTS[purpose].version != version for purpose in purposes):
            self.add_error(
                "consent_version",
                _(
                    "This form printed another consent text: ask the resident to sign the "
                    "current form."
                ),
            )
        return data

    def addresses(self) -> dict[str, str]:
        """Each ticked channel with its number or address."""
        data = self.cleaned_data
        return {
            channel: data["email"] if channel == Channel.EMAIL else data["phone"]
            for channel in PAPER_CHANNELS
            if channel in data["channels"]
        }

    def paper(self) -> PaperForm:
        """The proof: the form's reference and the day it was signed."""
        return PaperForm(self.cleaned_data["reference"], self.cleaned_data["signed_on"])

    def enter(self, officer: User, site_url: str) -> Subscriber | None:
        """Record the valid form's subscription as entered by ``officer``, all or nothing.

        ``None``, with the reference's error on the form, when another officer entered the
        same form after this one was checked: the database refuses a second entry.
        """
        # The consent texts are recorded as the form prints them: in the resident's language,
        # or in Vietnamese where that language has none.
        try:
            with translation.override(self.cleaned_data["language"]):
                return subscriptions.subscribe(
                    self.subscription(),
                    ConsentMethod.PAPER,
                    site_url,
                    entered_by=officer,
                    paper=self.paper(),
                )
        except IntegrityError:
            if not _entered(self.cleaned_data["reference"]):
                raise
            self.add_error("reference", ValidationError(ALREADY_ENTERED, code="entered"))
            return None


def _entered(reference: str) -> bool:
    return ConsentRecord.objects.filter(
        method=ConsentMethod.PAPER, form_reference=reference
    ).exists()


@never_cache
@permission_required("outreach.add_subscriber", raise_exception=True)
@require_http_methods(["GET", "POST"])
def paper_form(request: HttpRequest) -> HttpResponse:
    """Step one chooses the province (``?province=``); step two enters the form."""
    chooser = ProvinceForm(request.GET if "province" in request.GET else None)
    if not chooser.is_valid():
        return TemplateResponse(request, "outreach/admin/paper_form.html", {"chooser": chooser})
    province = chooser.cleaned_data["province"]
    form = PaperSubscriptionForm(
        request.POST if request.method == "POST" else None, province=province
    )
    if request.method == "POST" and form.is_valid():
        assert isinstance(request.user, User)  # permission_required let only officers in
        subscriber = form.enter(request.user, site_url(request))
        if subscriber is not None:
            token = signing.dumps(str(subscriber.public_id), salt=PAPER_SALT)
            return redirect(reverse("outreach_paper_form_entered", args=[token]))
    context = {"chooser": chooser, "province": province, "form": form}
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "outreach/admin/paper_form.html", context, status=status)


@never_cache
@permission_required("outreach.add_subscriber", raise_exception=True)
@require_http_methods(["GET", "POST"])
def paper_form_entered(request: HttpRequest, token: str) -> HttpResponse:
    """The form just entered: each contact by its last digits and whether it is confirmed,
    and the code the resident reads out from the SMS or Zalo message."""
    try:
        public_id = signing.loads(token, salt=PAPER_SALT, max_age=PENDING_MAX_AGE)
    except signing.BadSignature as error:
        raise Http404 from error
    subscriber = Subscriber.objects.filter(public_id=public_id).first()
    if subscriber is None:
        raise Http404
    contacts = list(subscriber.contacts.order_by("pk"))
    form, refused, confirmed = code_step(request, contacts)
    if confirmed:
        return redirect(reverse("outreach_paper_form_entered", args=[token]))
    context = {"contacts": contacts, "form": form, "refused": refused}
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request, "outreach/admin/paper_form_entered.html", context, status=status
    )
