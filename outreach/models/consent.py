"""Consent, as the Personal Data Protection Law asks: per purpose, with its proof; and what is
left of a contact once consent is withdrawn or the data erased."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.languages import django_languages
from outreach.models.subscribers import Channel, Subscriber


class Purpose(models.TextChoices):
    """What a person agrees their contact data is used for, each agreed to separately."""

    BULLETINS = "bulletins", _("News on the topics I chose")
    ALERTS = "alerts", _("Urgent alerts for my place: storms, floods, outbreaks")


class ConsentMethod(models.TextChoices):
    """How a consent was given or withdrawn."""

    WEB = "web", _("Web form")
    SMS = "sms", _("SMS keyword")
    EMAIL = "email", _("E-mail link")
    PAPER = "paper", _("Paper form, entered by an officer")


class ConsentRecord(models.Model):
    """One opt-in: who agreed to what, on which channel, how, to which text, and when.

    ``text`` is the consent text exactly as shown, in the language shown (``language``), with
    its ``version``; a paper form names the officer who entered it, the form's reference and the
    day it was signed: the signed paper is the proof. Erased with the subscriber.
    """

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    method = models.CharField(_("method"), max_length=8, choices=ConsentMethod.choices)
    version = models.CharField(_("text version"), max_length=32)
    text = models.TextField(_("text shown"))
    language = models.CharField(_("language shown"), max_length=8, choices=django_languages())
    given_at = models.DateTimeField(_("given at"), auto_now_add=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    form_reference = models.CharField(
        _("paper form's reference"), max_length=64, blank=True, db_index=True
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.CharField(
        _("withdrawn by"), max_length=8, choices=ConsentMethod.choices, blank=True
    )

    class Meta:
        verbose_name = _("consent record")
        constraints = [
            # A paper form is entered once: its entry records one consent per purpose and
            # channel ticked, so a second entry of the same form repeats at least one of them.
            models.UniqueConstraint(
                fields=["form_reference", "purpose", "channel"],
                condition=~models.Q(form_reference=""),
                name="paper_form_entered_once",
            ),
        ]
        indexes = [
            models.Index(
                fields=["purpose", "channel"],
                name="outreach_consent_active",
                condition=models.Q(withdrawn_at__isnull=True),
            ),
            # An audience asks, per contact, for its subscriber's consent on its channel for
            # a purpose: answered from the index alone.
            models.Index(
                fields=["subscriber", "channel", "purpose", "withdrawn_at"],
                name="outreach_consent_audience",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {self.get_channel_display()}"


class Suppression(models.Model):
    """A contact that must never be written to again, kept only as a keyed hash."""

    class Reason(models.TextChoices):
        WITHDRAWN = "withdrawn", _("Consent withdrawn")
        ERASED = "erased", _("Data erased at the person's request")
        UNDELIVERABLE = "undeliverable", _("The address no longer exists")

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    address_hash = models.CharField(max_length=64)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("suppressed contact")
        constraints = [
            models.UniqueConstraint(fields=["channel", "address_hash"], name="unique_suppression"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.address_hash[:12]}…"
