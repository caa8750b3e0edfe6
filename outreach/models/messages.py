"""The outbox: every message to one contact on one channel, and how far its delivery got."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outreach.models.subscribers import Channel, Contact


class MessageState(models.TextChoices):
    """Where a message is; it only moves forward (``outreach.delivery.STATE_ORDER``)."""

    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class MessageKind(models.TextChoices):
    """Why a message is sent."""

    CONFIRMATION = "confirmation", _("Confirmation")
    BULLETIN = "bulletin", _("Bulletin")
    REPLY = "reply", _("Reply")
    DIGEST = "digest", _("Digest")
    ANSWER = "answer", _("Answer to a question")
    REMINDER = "reminder", _("Reminder to an office")


class Message(models.Model):
    """One message to one contact, as handed to the channel.

    ``key`` is given to providers that honour an idempotency key and makes a retry after a
    crash the same message. ``lease_until`` marks a message a worker is sending: past it, the
    worker is taken to have died and another picks the message up; ``lease_token`` names the
    claim that holds it.

    ``due_at`` is when the message may next be tried: at once, after the quiet hours, or after a
    temporary failure's backoff. Senders take due messages in that order, urgent ones first.
    """

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    bulletin = models.ForeignKey(
        "outreach.Bulletin", on_delete=models.CASCADE, null=True, related_name="messages"
    )
    digest = models.ForeignKey(
        "outreach.Digest", on_delete=models.CASCADE, null=True, related_name="messages"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, related_name="messages"
    )
    """Emptied when the person's data is erased: what was sent stays counted, not whom to."""
    submission = models.ForeignKey(
        "outreach.Submission", on_delete=models.SET_NULL, null=True, related_name="messages"
    )
    """For an answer: the question it answers, whose ``answer_to`` it goes to (no contact)."""
    office = models.ForeignKey(
        "outreach.Office", on_delete=models.SET_NULL, null=True, related_name="reminders"
    )
    """For a reminder: the office it goes to, at the office's own address (no contact)."""
    to = models.CharField(_("to"), max_length=254, blank=True, db_default="")
    """For a reply to a message we could not take (no contact, no submission): the address it
    came from; erased with the link to contacts (``retention``)."""
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=MessageKind.choices)
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    state = models.CharField(
        _("state"), max_length=10, choices=MessageState.choices, default=MessageState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    lease_token = models.UUIDField(null=True, blank=True, editable=False)
    due_at = models.DateTimeField(_("due at"), default=timezone.now)
    provider_id = models.CharField(_("provider's id"), max_length=200, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        ordering = ["-created_at"]
        constraints = [
            # One message per bulletin and contact (a subscriber's channel): building the
            # outbox twice, or after a crash, adds nothing.
            models.UniqueConstraint(
                fields=["bulletin", "contact"],
                condition=models.Q(bulletin__isnull=False, contact__isnull=False),
                name="unique_bulletin_message",
            ),
            models.UniqueConstraint(
                fields=["digest", "contact"],
                condition=models.Q(digest__isnull=False, contact__isnull=False),
                name="unique_digest_message",
            ),
        ]
        indexes = [
            # A sender's next batch: one channel's due messages, urgent first, oldest due first.
            models.Index(fields=["channel", "state", "urgent", "due_at"], name="outreach_msg_due"),
            models.Index(fields=["state", "lease_until"], name="outreach_msg_lease"),
            models.Index(fields=["channel", "provider_id"], name="outreach_msg_provider"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} · {self.get_channel_display()} · {self.get_state_display()}"
        )

    def recipient(self) -> tuple[str, dict]:
        """Where the message goes, and the channel's details for it: its contact's address,
        the office's own, the address a reply goes back to, or the asking resident's; an
        empty address once erased."""
        if self.contact is not None:
            return self.contact.address, self.contact.details
        if self.office is not None:
            return self.office.email, {}
        if self.to:
            return self.to, {}
        if self.submission is not None:
            return self.submission.answer_to, {}
        return "", {}


class MessagePart(models.Model):
    """One part of a message sent in parts (SMS), as the provider named it, and whether its
    receipt said it arrived. A message is delivered when all its parts are."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="parts")
    number = models.PositiveSmallIntegerField()
    provider_id = models.CharField(max_length=200)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message part")
        constraints = [
            models.UniqueConstraint(fields=["message", "number"], name="unique_message_part")
        ]
        indexes = [models.Index(fields=["provider_id"], name="outreach_part_provider")]

    def __str__(self) -> str:
        return f"{self.message_id}/{self.number}"


class ChannelWindow(models.Model):
    """How many messages the senders took on a channel in the current second, across all
    sender processes: what keeps each channel under its throughput cap."""

    channel = models.CharField(max_length=8, choices=Channel.choices, unique=True)
    second = models.BigIntegerField(default=0)
    """The Unix second the count is for; a new second starts from nothing."""
    taken = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("channel window")

    def __str__(self) -> str:
        return f"{self.channel}: {self.taken} in {self.second}"


class ProviderToken(models.Model):
    """A provider's current access token and the refresh token that renews it (Zalo's refresh
    tokens are single-use: each renewal gives the next one, which must be kept)."""

    provider = models.CharField(max_length=32, unique=True)
    access_token = models.TextField(blank=True)
    refresh_token = models.TextField()
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("provider token")

    def __str__(self) -> str:
        return self.provider
