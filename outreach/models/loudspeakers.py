"""Commune loudspeakers: the clusters that play programmes, the programmes, what was played.

A cluster is one device (a smart loudspeaker controller, or the source information system of a
commune) serving one commune or several; it holds a token, pulls its schedule and audio and
reports its plays (``outreach.loudspeaker_api``). A programme is assembled by an officer from
articles' audio versions, public heritage recordings and uploaded announcements, and rendered
into one loudness-normalised file (``outreach.loudspeaker_audio``).
"""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from cms.languages import django_languages
from cms.ordering import IN_EDITORS_ORDER
from heritage.models import Place
from outreach import programme_sources


def token_digest(token: str) -> str:
    """What is stored of a device token: its SHA-256, so a copy of the database opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


class LoudspeakerCluster(models.Model):
    """The loudspeakers of a commune or a cluster of communes, fed as one device: its daily
    broadcast times, its languages in the order they are aired, and its device token."""

    name = models.CharField(_("name"), max_length=200)
    communes = models.ManyToManyField(
        Place,
        verbose_name=_("communes"),
        related_name="+",
        limit_choices_to={"valid_until__isnull": True},
    )
    languages = models.JSONField(_("languages"), default=list)
    times = models.JSONField(
        _("broadcast times"), default=list, help_text=_("Daily, local time, e.g. 06:00 and 17:00.")
    )
    token_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    token_issued_at = models.DateTimeField(_("token issued"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("loudspeaker cluster")
        verbose_name_plural = _("loudspeaker clusters")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def issue_token(self) -> str:
        """A new device token, replacing any earlier one; shown once, stored as a digest."""
        token = secrets.token_urlsafe(32)
        self.token_digest = token_digest(token)
        self.token_issued_at = timezone.now()
        self.save(update_fields=["token_digest", "token_issued_at"])
        return token

    def revoke_token(self) -> None:
        """The device's token opens nothing any more."""
        self.token_digest = ""
        self.token_issued_at = None
        self.save(update_fields=["token_digest", "token_issued_at"])


class ProgrammeState(models.TextChoices):
    """Where a programme is on its way to the loudspeakers."""

    DRAFT = "draft", _("Draft")
    QUEUED = "queued", _("Waiting to be rendered")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Not rendered")


class Programme(ClusterableModel):
    """A loudspeaker programme for a day: its items in order between an intro and an outro,
    the communes it is aired in, and, once rendered, its audio and how loud it measured.

    An urgent programme (a storm, an outbreak) is put first in the schedules of the clusters of
    its communes. ``input_key`` is the hash of everything the audio was made from: the same
    inputs make the same file (``sha256``).
    """

    title = models.CharField(_("title"), max_length=200)
    air_date = models.DateField(_("air date"), default=timezone.localdate)
    communes = models.ManyToManyField(
        Place,
        verbose_name=_("communes"),
        related_name="+",
        limit_choices_to={"valid_until__isnull": True},
    )
    urgent = models.BooleanField(
        _("urgent"), default=False, help_text=_("Aired first, at the clusters' next time.")
    )
    intro = models.ForeignKey(
        "media.MediaAsset",
        verbose_name=_("intro"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outro = models.ForeignKey(
        "media.MediaAsset",
        verbose_name=_("outro"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    gap_seconds = models.DecimalField(
        _("gap between items (seconds)"),
        max_digits=3,
        decimal_places=1,
        default=2,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
    )
    state = models.CharField(
        _("state"), max_length=8, choices=ProgrammeState.choices, default=ProgrammeState.DRAFT
    )
    problems = models.JSONField(_("problems"), default=list, blank=True)
    audio = models.FileField(_("audio"), upload_to="loudspeaker", max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256 of the audio"), max_length=64, blank=True, db_index=True)
    input_key = models.CharField(max_length=64, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("bytes"), default=0)
    duration = models.FloatField(_("duration (seconds)"), default=0)
    loudness = models.FloatField(_("integrated loudness (LUFS)"), null=True, blank=True)
    true_peak = models.FloatField(_("true peak (dBTP)"), null=True, blank=True)
    loudness_range = models.FloatField(_("loudness range (LU)"), null=True, blank=True)
    running_order = models.TextField(_("running order"), blank=True)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("loudspeaker programme")
        verbose_name_plural = _("loudspeaker programmes")
        ordering = ["-air_date", "-urgent", "title"]
        indexes = [models.Index(fields=["state", "air_date"], name="programme_schedule")]

    def __str__(self) -> str:
        return self.title

    def problem_messages(self) -> list[str]:
        """Why the programme could not be rendered, each naming its clip."""
        return programme_sources.problem_messages(self.problems)

    def clean(self) -> None:
        """The intro and outro are public audio, like every item."""
        errors = {}
        for name in ("intro", "outro"):
            recording = getattr(self, name)
            if recording is not None and (
                problem := programme_sources.recording_problem(recording)
            ):
                errors[name] = problem
        if errors:
            raise ValidationError(errors)


class ProgrammeItem(Orderable):
    """One part of a programme: an article's audio version in a language, or a recording (a
    public heritage recording, an uploaded announcement)."""

    programme = ParentalKey(Programme, on_delete=models.CASCADE, related_name="items")
    article = models.ForeignKey(
        "cms.ArticlePage",
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    language = models.CharField(_("language"), max_length=8, choices=django_languages(), blank=True)
    recording = models.ForeignKey(
        "media.MediaAsset",
        verbose_name=_("recording"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta(Orderable.Meta):
        verbose_name = _("programme item")
        ordering = IN_EDITORS_ORDER
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(article__isnull=False) & models.Q(recording__isnull=True))
                | (models.Q(article__isnull=True) & models.Q(recording__isnull=False)),
                name="programme_item_article_or_recording",
            )
        ]

    def clean(self) -> None:
        """An article with a language, or a recording; either one anyone may hear."""
        if (self.article_id is None) == (self.recording_id is None):
            raise ValidationError(_("Choose an article or a recording, not both."))
        if self.recording is not None:
            if problem := programme_sources.recording_problem(self.recording):
                raise ValidationError({"recording": problem})
            return
        if not self.language:
            raise ValidationError({"language": _("Choose the language of the audio version.")})
        assert self.article is not None  # no recording, so an article
        if problem := programme_sources.article_problem(self.article, self.language):
            raise ValidationError({"article": problem})


class PlayOutcome(models.TextChoices):
    """What a cluster reports of one broadcast."""

    PLAYED = "played", _("Played")
    INTERRUPTED = "interrupted", _("Interrupted")
    FAILED = "failed", _("Not played")


class PlayReport(models.Model):
    """One broadcast a cluster reports: which audio, when it started, how it went.

    Counted per commune of the cluster for reach; reported again, it is the same row.
    """

    cluster = models.ForeignKey(LoudspeakerCluster, on_delete=models.CASCADE, related_name="plays")
    programme = models.ForeignKey(
        Programme, null=True, on_delete=models.SET_NULL, related_name="plays"
    )
    sha256 = models.CharField(max_length=64)
    started_at = models.DateTimeField()
    outcome = models.CharField(max_length=12, choices=PlayOutcome.choices)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("play report")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "sha256", "started_at"], name="one_report_per_broadcast"
            )
        ]
        indexes = [models.Index(fields=["started_at"], name="play_report_day")]

    def __str__(self) -> str:
        return f"{self.cluster_id} {self.started_at:%Y-%m-%d %H:%M} {self.outcome}"
