"""Audio and video assets, their renditions for phones, and their captions."""

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index
from wagtailmedia.edit_handlers import MediaChooserPanel
from wagtailmedia.models import AbstractMedia

from cms.admin_choices import VisibleChoicesForm
from cms.languages import django_languages
from media.errors import error_message as describe_error


class ProcessingStatus(models.TextChoices):
    """Where an upload is on its way to playable renditions."""

    PENDING = "pending", _("Waiting")
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class MediaAsset(AbstractMedia):
    """An uploaded recording (audio or video) and what processing learnt and made from it.

    The original is kept as uploaded; readers get the renditions. ``probe`` holds ffprobe's
    facts (container, codecs, duration, size, resolution, bit rate).
    """

    language = models.CharField(
        _("language spoken"), max_length=8, choices=django_languages(), blank=True
    )
    transcript = models.TextField(_("transcript"), blank=True)
    source_hash = models.CharField(_("SHA-256 of the original"), max_length=64, blank=True)
    probe = models.JSONField(_("probe results"), default=dict, blank=True)
    status = models.CharField(
        _("processing status"),
        max_length=12,
        choices=ProcessingStatus.choices,
        default=ProcessingStatus.PENDING,
        db_index=True,
    )
    error_code = models.CharField(_("error"), max_length=32, blank=True)
    error_params = models.JSONField(_("error details"), default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("processing attempts"), default=0)
    poster = models.CharField(_("poster frame"), max_length=255, blank=True)
    waveform = models.CharField(_("waveform"), max_length=255, blank=True)

    admin_form_fields = ("title", "file", "collection", "language", "transcript", "tags")
    search_fields: ClassVar[list[index.BaseField]] = [
        *AbstractMedia.search_fields,
        # Protocol-aware listings (``heritage.admin_permissions``) filter searches by id.
        index.FilterField("id"),
    ]

    class Meta:
        verbose_name = _("audio or video")
        verbose_name_plural = _("audio and video")

    def mark_for_processing(self) -> None:
        """Forget any earlier outcome; saving then queues processing (see signal_handlers)."""
        self.status = ProcessingStatus.PENDING
        self.error_code = ""
        self.error_params = {}
        self.attempts = 0

    @property
    def error_message(self) -> str:
        """Why processing failed, in the active language."""
        return describe_error(self.error_code, self.error_params) if self.error_code else ""


class MediaRendition(models.Model):
    """One converted version of an asset: speech audio, a video size, and so on."""

    asset = models.ForeignKey(MediaAsset, on_delete=models.CASCADE, related_name="renditions")
    profile = models.CharField(_("profile"), max_length=32)
    file = models.FileField(_("file"), upload_to="renditions", max_length=255)
    mime_type = models.CharField(_("MIME type"), max_length=64)
    size = models.PositiveBigIntegerField(_("bytes"))
    bit_rate = models.PositiveIntegerField(_("bit rate"), default=0)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)

    class Meta:
        verbose_name = _("rendition")
        constraints = [
            models.UniqueConstraint(fields=["asset", "profile"], name="one_rendition_per_profile")
        ]

    def __str__(self) -> str:
        return f"{self.asset} — {self.profile}"


def validate_webvtt(file: Any) -> None:
    """Accept only UTF-8 text that starts like a WebVTT file."""
    file.seek(0)
    head = file.read(64)
    file.seek(0)
    text = head.decode("utf-8-sig", "replace") if isinstance(head, bytes) else head
    if not text.startswith("WEBVTT"):
        raise ValidationError(_("This is not a WebVTT captions file (it must start with WEBVTT)."))


class MediaCaption(models.Model):
    """WebVTT captions of a video or audio in one language."""

    asset = models.ForeignKey(
        MediaAsset,
        verbose_name=_("audio or video"),
        on_delete=models.CASCADE,
        related_name="captions",
    )
    language = models.CharField(_("language"), max_length=8, choices=django_languages())
    file = models.FileField(
        _("WebVTT file"),
        upload_to="captions",
        validators=[FileExtensionValidator(["vtt"]), validate_webvtt],
    )

    base_form_class = VisibleChoicesForm
    panels: ClassVar[list[FieldPanel]] = [
        MediaChooserPanel("asset"),
        FieldPanel("language"),
        FieldPanel("file"),
    ]

    class Meta:
        verbose_name = _("captions")
        verbose_name_plural = _("captions")
        constraints = [
            models.UniqueConstraint(fields=["asset", "language"], name="one_caption_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.asset} — {self.language}"
