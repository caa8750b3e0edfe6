"""Subscribers: people reachable on one or more channels, with a language, topics and a place."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.languages import DEFAULT_LANGUAGE, django_languages
from cms.topics import Topic
from heritage.models import Place


class Channel(models.TextChoices):
    """The ways a message reaches a person."""

    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    PUSH = "push", _("Web push")
    ZALO = "zalo", _("Zalo")


class Subscriber(models.Model):
    """A resident or an agency's staff member who asked to be informed.

    Reached through their :class:`Contact` rows, each confirmed on its own. The language they
    read can reveal their ethnic origin: it is used to pick a message's text and never leaves
    the system about one person (``outreach.privacy``).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    language = models.CharField(
        _("language"), max_length=8, choices=django_languages(), default=DEFAULT_LANGUAGE
    )
    province = models.ForeignKey(
        Place,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"valid_until__isnull": True},
    )
    commune = models.ForeignKey(
        Place,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Empty for the whole province."),
        limit_choices_to={"valid_until__isnull": True},
    )
    agency = models.CharField(
        _("agency"),
        max_length=200,
        blank=True,
        help_text=_("For agency staff: the agency, whose staff also get digests of new content."),
    )
    created_at = models.DateTimeField(_("subscribed at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("subscriber")
        indexes = [
            models.Index(fields=["province", "language"], name="outreach_sub_province_lang"),
            models.Index(fields=["commune"], name="outreach_sub_commune"),
        ]

    def __str__(self) -> str:
        return str(_("Subscriber %(id)s")) % {"id": str(self.public_id)[:8]}

    @property
    def topics(self) -> list[str]:
        """The topics the subscriber follows."""
        return [interest.topic for interest in self.interests.all()]


class Interest(models.Model):
    """A topic a subscriber follows: one row each, so an audience is counted by index."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="interests")
    topic = models.CharField(_("topic"), max_length=32, choices=Topic.choices)

    class Meta:
        verbose_name = _("interest")
        constraints = [
            models.UniqueConstraint(fields=["topic", "subscriber"], name="unique_interest"),
        ]

    def __str__(self) -> str:
        return self.get_topic_display()


class Contact(models.Model):
    """One channel's address of a subscriber, confirmed before anything is sent to it.

    ``address`` is canonical (``outreach.contacts``): E.164 for SMS and for Zalo (ZNS writes to
    the Zalo account of a number), the address for e-mail, the push service's endpoint (its
    keys in ``details``). A confirmed address
    belongs to one subscriber: confirming it for a new subscription ends the old one's hold.
    """

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="contacts")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=2048)
    address_hash = models.CharField(max_length=64, editable=False)
    details = models.JSONField(default=dict, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    code_hash = models.CharField(max_length=128, blank=True, editable=False)
    code_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    code_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "address_hash"],
                condition=models.Q(confirmed_at__isnull=False),
                name="unique_confirmed_contact",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "channel"], name="one_contact_per_channel"
            ),
        ]
        indexes = [models.Index(fields=["channel", "address_hash"], name="outreach_contact_hash")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} …{self.address[-4:]}"

    @property
    def is_confirmed(self) -> bool:
        """Whether the person proved they hold the address."""
        return self.confirmed_at is not None
