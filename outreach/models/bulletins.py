"""Bulletins: one message, in several languages, for an audience of subscribers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.languages import django_languages
from cms.topics import Topic
from heritage.models import Place
from outreach.models.consent import Purpose


class BulletinState(models.TextChoices):
    """Where a bulletin is, from draft to sent."""

    DRAFT = "draft", _("Draft")
    AWAITING_APPROVAL = "awaiting", _("Awaiting approval")
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


class Bulletin(models.Model):
    """A message for everyone who chose its topic (news) or its place (alerts).

    Its text is in ``texts``, one row per language that has its own; a subscriber whose language
    has none gets the Vietnamese, as pages fall back. An article's bulletin links to it.
    """

    name = models.CharField(_("name"), max_length=200)
    purpose = models.CharField(
        _("purpose"), max_length=16, choices=Purpose.choices, default=Purpose.BULLETINS
    )
    topic = models.CharField(_("topic"), max_length=32, choices=Topic.choices, blank=True)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    provinces = models.ManyToManyField(
        Place, verbose_name=_("provinces"), blank=True, related_name="+"
    )
    communes = models.ManyToManyField(
        Place, verbose_name=_("communes"), blank=True, related_name="+"
    )
    channels = models.JSONField(_("channels"), default=list)
    urgent = models.BooleanField(
        _("urgent"), default=False, help_text=_("Sent first, also at night and past daily caps.")
    )
    fold_sms = models.BooleanField(
        _("SMS without marks"),
        default=False,
        help_text=_("Fewer SMS parts, harder to read: only where cost demands it."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=BulletinState.choices, default=BulletinState.DRAFT
    )
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    audience = models.PositiveIntegerField(_("audience"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bulletin")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class BulletinText(models.Model):
    """A bulletin in one language: a short text for SMS and Zalo, a title and body for e-mail
    and push, and the link."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=8, choices=django_languages())
    short = models.TextField(_("short text (SMS, Zalo)"))
    title = models.CharField(_("title (e-mail, push)"), max_length=200)
    body = models.TextField(_("body (e-mail)"), blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("bulletin text")
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "language"], name="unique_bulletin_text")
        ]

    def __str__(self) -> str:
        return f"{self.bulletin} ({self.language})"


class Digest(models.Model):
    """The digest of what was published in a period, sent to agency staff by e-mail: each gets
    the articles of the topics they follow, in their language where the article has it."""

    period_start = models.DateTimeField(_("from"))
    period_end = models.DateTimeField(_("until"), unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("digest")
        ordering = ["-period_end"]

    def __str__(self) -> str:
        return f"{self.period_start:%Y-%m-%d} – {self.period_end:%Y-%m-%d}"
