"""The admin's form for a bulletin written by hand (a storm, an outbreak): whom it is for, when,
and its text in each language the officer writes.

Vietnamese is required; any other language only when the officer writes it, never generated:
a reader whose language has no text gets the Vietnamese. Whatever is wrong is said beside its
field, and nothing is saved until everything is right.
"""

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cms.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES
from heritage.models import COMMUNE_LEVELS, Place
from outreach import sms
from outreach.bulletins import ALL_CHANNELS, VIETNAM
from outreach.models import Bulletin, BulletinText, Channel, Purpose

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LOCAL_MINUTE = "%Y-%m-%dT%H:%M"
"""How a ``datetime-local`` input writes a moment."""


def model_label(model: type[models.Model], name: str) -> "StrOrPromise":
    """The label a model form gives the field ``name`` of ``model``: its verbose name."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # a field of the model, not a reverse relation
    return capfirst(field.verbose_name)


class VietnamDateTimeField(forms.DateTimeField):
    """A moment entered and shown in Vietnam's time, whatever time zone the officer's admin
    profile names."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_MINUTE)

    def prepare_value(self, value: Any) -> Any:
        """An aware moment as Vietnam's wall clock."""
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.make_naive(value, VIETNAM)
        return super().prepare_value(value)

    def to_python(self, value: Any) -> datetime.datetime | None:
        """The moment entered, read as Vietnam's time."""
        with timezone.override(VIETNAM):
            return super().to_python(value)


class CommuneChoiceField(forms.ModelMultipleChoiceField):
    """Communes named with their province: there are several Ea Súp-like names."""

    def label_from_instance(self, obj: Place) -> str:
        """``Ea Súp (Đắk Lắk)``."""
        return f"{obj.name} ({obj.parent.name})" if obj.parent else obj.name


class BulletinForm(forms.ModelForm):
    """Whom a bulletin is for and when it goes."""

    channels = forms.MultipleChoiceField(
        label=model_label(Bulletin, "channels"),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    provinces = forms.ModelMultipleChoiceField(
        label=model_label(Bulletin, "provinces"),
        queryset=Place.objects.current().provinces().order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    communes = CommuneChoiceField(
        label=model_label(Bulletin, "communes"),
        queryset=Place.objects.current()
        .filter(level__in=COMMUNE_LEVELS)
        .select_related("parent")
        .order_by("parent__name", "name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("No province and no commune: everywhere."),
    )
    send_at = VietnamDateTimeField(
        label=model_label(Bulletin, "send_at"),
        required=False,
        help_text=_("Vietnam time. Empty: as soon as it is approved."),
    )

    class Meta:
        model = Bulletin
        fields = [
            "name",
            "purpose",
            "topic",
            "urgent",
            "channels",
            "provinces",
            "communes",
            "fold_sms",
            "send_at",
        ]

    def clean_send_at(self) -> datetime.datetime | None:
        """A moment still to come, or none."""
        moment = self.cleaned_data["send_at"]
        if moment is not None and moment <= timezone.now():
            raise forms.ValidationError(
                _("The sending time has passed: choose a later one, or none."), code="past"
            )
        return moment

    def clean(self) -> dict[str, Any]:
        """News goes to a topic's followers, so it needs one; an alert goes by place only."""
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("purpose") == Purpose.BULLETINS and not cleaned.get("topic"):
            self.add_error("topic", _("Choose the topic of the news: only its followers get it."))
        elif cleaned.get("purpose") == Purpose.ALERTS:
            cleaned["topic"] = ""
        return cleaned


class BulletinTextForm(forms.ModelForm):
    """A bulletin's text in one language; in any language but Vietnamese it may stay empty."""

    link = forms.URLField(
        label=model_label(BulletinText, "link"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = BulletinText
        fields = ["short", "title", "body", "link"]
        widgets = {
            "short": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            field.widget.attrs["lang"] = self.instance.language

    @property
    def language(self) -> str:
        """The code of the text's language."""
        return self.instance.language

    @property
    def is_empty(self) -> bool:
        """Whether nothing is written in this language (Vietnamese never is, once valid)."""
        return not any(self.cleaned_data.get(name) for name in self.Meta.fields)

    def clean(self) -> dict[str, Any]:
        """Vietnamese needs its short text and title; another language both, or nothing."""
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("short") and cleaned.get("title"):
            return cleaned
        if self.language == DEFAULT_LANGUAGE:
            raise forms.ValidationError(
                _("A Vietnamese text is needed: its short text and its title."), code="required"
            )
        if any(cleaned.get(name) for name in self.Meta.fields):
            raise forms.ValidationError(
                _("Write both the short text and the title, or leave this language empty."),
                code="incomplete",
            )
        return cleaned


class BulletinForms:
    """A bulletin's form and one text form per language, checked and saved together."""

    def __init__(self, data: Any = None, *, instance: Bulletin) -> None:
        initial = {} if instance.pk else {"channels": ALL_CHANNELS}
        self.bulletin = BulletinForm(data, instance=instance, initial=initial)
        written = {text.language: text for text in instance.texts.all()} if instance.pk else {}
        self.texts = [
            BulletinTextForm(
                data,
                prefix=f"text-{code}",
                instance=written.get(code) or BulletinText(language=code),
            )
            for code in LANGUAGE_CODES
        ]

    def is_valid(self) -> bool:
        """Whether every form is valid, every short text fits in SMS when SMS is chosen, and
        the Vietnamese text has a link when Zalo is (a Zalo message is a button to one)."""
        bulletin_valid = self.bulletin.is_valid()
        valid_texts = [form for form in self.texts if form.is_valid()]
        vietnamese = self.texts[LANGUAGE_CODES.index(DEFAULT_LANGUAGE)]
        if (
            bulletin_valid
            and Channel.ZALO in self.bulletin.cleaned_data["channels"]
            and vietnamese in valid_texts
            and not vietnamese.cleaned_data["link"]
        ):
            vietnamese.add_error(
                "link",
                _(
                    "A Zalo message opens a link: give the Vietnamese text one (the other "
                    "languages lead to it unless they have their own), or leave Zalo out."
                ),
            )
        if bulletin_valid and Channel.SMS in self.bulletin.cleaned_data["channels"]:
            fold = self.bulletin.cleaned_data["fold_sms"]
            for form in valid_texts:
                short = form.cleaned_data["short"]
                try:
                    sms.checked(sms.fold(short) if fold else short)
                except sms.TooLong as error:
                    form.add_error("short", too_long_message(error.size))
        return bulletin_valid and not any(form.errors for form in self.texts)

    def save(self, user: Any) -> Bulletin:
        """Save the bulletin, as a draft, with its texts, in one transaction; a language left
        empty loses the text it had."""
        with transaction.atomic():
            bulletin = self.bulletin.save(commit=False)
            if bulletin.pk is None:
                bulletin.created_by = user
            bulletin.save()
            self.bulletin.save_m2m()
            for form in self.texts:
                if not form.is_empty:
                    text = form.save(commit=False)
                    text.bulletin = bulletin
                    text.save()
                elif form.instance.pk:
                    form.instance.delete()
        return bulletin


def too_long_message(size: sms.SmsSize) -> str:
    """Why a text is refused for SMS, with its size."""
    return _(
        "Too long for SMS: %(units)s %(encoding)s characters need %(parts)s SMS; at most "
        "%(most)s are sent."
    ) % {"units": size.units, "encoding": size.encoding, "parts": size.parts, "most": sms.MAX_PARTS}
