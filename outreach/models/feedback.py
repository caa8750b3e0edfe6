"""Residents' questions, reports and proposals; the offices that answer them; how each went.

A submission reaches the office its topic and place are routed to (``RoutingRule``), or waits
in triage when no rule matches. Each step is logged (``SubmissionEvent``). The resident follows
it by its reference code; how to reach them for the answer is kept only while it is handled.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.languages import DEFAULT_LANGUAGE, django_languages
from cms.topics import Topic
from heritage.models import Place
from outreach.models.subscribers import Channel


class Office(models.Model):
    """A state office that answers residents: its name in each language, the office above it
    (where an overdue or misrouted question is escalated), its staff group (who handles its
    queue) and its own contact, for reminders."""

    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("office above"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    place = models.ForeignKey(
        Place,
        verbose_name=_("province or commune served"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"valid_until__isnull": True},
        help_text=_("Empty for a national office."),
    )
    group = models.ForeignKey(
        "auth.Group",
        verbose_name=_("staff group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Its members handle this office's questions."),
    )
    email = models.EmailField(_("office e-mail"), blank=True)
    remote = models.BooleanField(
        _("serves remote and difficult areas"),
        default=False,
        help_text=_("Its answers are due later (the Law on Complaints allows 45 days, not 30)."),
    )

    class Meta:
        verbose_name = _("office")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    """Where submissions of a topic and place go. The most specific rule wins: a commune's
    over its province's over everywhere's, then a topic's over any topic's."""

    topic = models.CharField(_("topic"), max_length=32, choices=Topic.choices, blank=True)
    place = models.ForeignKey(
        Place,
        verbose_name=_("province or commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"valid_until__isnull": True},
        help_text=_("Empty for everywhere."),
    )
    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("routing rule")
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "place"],
                nulls_distinct=False,
                name="one_rule_per_topic_and_place",
            )
        ]

    def __str__(self) -> str:
        return f"{self.topic or '*'} · {self.place or '*'} → {self.office}"


class SubmissionKind(models.TextChoices):
    """What a resident sends."""

    QUESTION = "question", _("Question")
    REPORT = "report", _("Report")
    PROPOSAL = "proposal", _("Proposal")


class SubmissionState(models.TextChoices):
    """Where a submission is in its handling."""

    RECEIVED = "received", _("Received")
    MODERATION = "moderation", _("Held for moderation")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    NOT_OURS = "not_ours", _("Not our responsibility")
    REJECTED = "rejected", _("Rejected")


class Submission(models.Model):
    """A resident's question, report or proposal.

    ``answer_to`` (a phone number or an e-mail address) is kept only to send the answer, with
    the resident's consent for that purpose, and erased once the submission has been closed
    for the retention period. Without it the resident reads the answer by ``reference``.
    """

    reference = models.CharField(_("reference"), max_length=16, unique=True, editable=False)
    kind = models.CharField(
        _("kind"), max_length=16, choices=SubmissionKind.choices, default=SubmissionKind.QUESTION
    )
    topic = models.CharField(_("topic"), max_length=32, choices=Topic.choices, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=django_languages(), default=DEFAULT_LANGUAGE
    )
    province = models.ForeignKey(
        Place,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    commune = models.ForeignKey(
        Place,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("text"))
    came_by = models.CharField(
        _("came by"),
        max_length=8,
        choices=[("web", _("Web")), (Channel.SMS, _("SMS")), (Channel.EMAIL, _("E-mail"))],
    )
    answer_channel = models.CharField(
        _("answer by"),
        max_length=8,
        choices=[(Channel.SMS, _("SMS")), (Channel.EMAIL, _("E-mail")), (Channel.ZALO, _("Zalo"))],
        blank=True,
        help_text=_("Empty: the resident reads the answer by the reference code."),
    )
    answer_to = models.CharField(_("answer to"), max_length=254, blank=True)
    consented_at = models.DateTimeField(_("consent to be answered given at"), null=True)
    consent_text = models.TextField(_("consent text shown"), blank=True)
    may_publish = models.BooleanField(
        _("may be published"),
        default=False,
        help_text=_("The resident agreed that the answer be published without their details."),
    )
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=SubmissionState.choices,
        default=SubmissionState.RECEIVED,
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submissions",
        help_text=_("Empty: waiting in triage."),
    )
    due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answer_language = models.CharField(
        _("language of the answer"), max_length=8, choices=django_languages(), blank=True
    )
    answer_vi = models.TextField(
        _("answer in Vietnamese"),
        blank=True,
        help_text=_("Kept beside an answer in another language."),
    )
    public_question = models.TextField(
        _("question as published"),
        blank=True,
        help_text=_("The question without names, numbers or addresses, as the public reads it."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("submission")
        ordering = ["-received_at"]
        indexes = [
            # An office's queue: its open submissions, the most urgent first; everyone's, a
            # coordinator's, read in the order of their deadlines; and the counts by state.
            models.Index(fields=["office", "state", "due_at"], name="outreach_sub_queue"),
            models.Index(fields=["due_at", "id"], name="outreach_sub_due"),
            models.Index(fields=["state"], name="outreach_sub_state"),
            models.Index(fields=["published_at"], name="outreach_sub_published"),
        ]

    def __str__(self) -> str:
        return self.reference


class SubmissionEvent(models.Model):
    """One step of a submission's handling, as it happened and by whom."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        ROUTED = "routed", _("Routed")
        TRIAGE = "triage", _("Sent to triage")
        HELD = "held", _("Held for moderation")
        REASSIGNED = "reassigned", _("Reassigned")
        ESCALATED = "escalated", _("Escalated")
        STARTED = "started", _("Handling started")
        NOTE = "note", _("Note")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")
        NOT_OURS = "not_ours", _("Not our responsibility")
        REJECTED = "rejected", _("Rejected")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("step"), max_length=16, choices=Kind.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("submission step")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.submission} · {self.get_kind_display()}"


FEEDBACK_FOLDER = "feedback/"
"""Where residents' photos and voice messages are stored; served only to who handles them."""


def attachment_name(instance: "SubmissionFile", filename: str) -> str:
    """A random name under ``feedback/``: neither the resident's file name nor the submission's
    code shows in it."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{FEEDBACK_FOLDER}{instance.kind}/{uuid.uuid4().hex}.{suffix[:8]}"


class SubmissionFile(models.Model):
    """A photo or a voice message sent with a submission: one of each at most.

    A photo is stored re-encoded without its metadata (GPS, device); a voice message as sent,
    and once converted (``status``) as small speech audio staff can play on any browser
    (``playable``). Both are personal data: fetched only by whoever handles the submission,
    erased with the resident's contact details.
    """

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        VOICE = "voice", _("Voice message")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be converted")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Could not be converted")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=attachment_name, max_length=255)
    content_type = models.CharField(_("MIME type"), max_length=64)
    size = models.PositiveIntegerField(_("bytes"))
    seconds = models.FloatField(_("duration in seconds"), default=0)
    playable = models.FileField(
        _("speech audio"), upload_to=attachment_name, max_length=255, blank=True
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.READY
    )

    class Meta:
        verbose_name = _("photo or voice message")
        verbose_name_plural = _("photos and voice messages")
        constraints = [
            models.UniqueConstraint(fields=["submission", "kind"], name="one_file_of_each_kind")
        ]

    def __str__(self) -> str:
        return f"{self.submission} — {self.get_kind_display()}"

    def stored_names(self) -> list[str]:
        """The names in storage of every file this row holds."""
        return [name for name in (self.file.name, self.playable.name) if name]
