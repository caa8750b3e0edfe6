"""What each translation was made from: the Vietnamese it was checked against when saved."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.topics import Topic


class TranslationSource(models.Model):
    """The Vietnamese source of one unit of one object, as it was when its translation into
    ``language`` was last saved (``cms.translation_state``).

    A unit is a translated field (``summary``) or one block of a StreamField
    (``body/<block id>``), so that a changed paragraph makes only its own translation
    outdated. ``translation_hash`` is the translated field's own hash then: a save that leaves
    the translation as it was does not vouch for it again.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    language = models.CharField(_("language"), max_length=8)
    unit = models.CharField(_("part"), max_length=128)
    source_hash = models.CharField(max_length=64)
    translation_hash = models.CharField(max_length=64)
    recorded_at = models.DateTimeField(_("translated at"), auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("translated by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("translation source")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "language", "unit"],
                name="one_source_per_translated_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} {self.unit} ({self.language})"


class TranslationStatus(models.Model):
    """How far one object is translated into one language, kept up to date on each save (or
    revision) so the coverage dashboard counts without reading any object.

    ``state`` is the object's as a whole: *missing* when nothing of it is translated, *up to
    date* when every unit is, *outdated* otherwise (a unit changed since, or added to the
    source and not yet translated).
    """

    class State(models.TextChoices):
        MISSING = "missing", _("Missing")
        OUTDATED = "outdated", _("Outdated")
        UP_TO_DATE = "up_to_date", _("Up to date")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    language = models.CharField(_("language"), max_length=8)
    state = models.CharField(_("state"), max_length=12, choices=State.choices)
    missing = models.PositiveIntegerField(_("units missing"), default=0)
    outdated = models.PositiveIntegerField(_("units outdated"), default=0)
    up_to_date = models.PositiveIntegerField(_("units up to date"), default=0)
    topic = models.CharField(_("topic"), max_length=32, choices=Topic.choices, blank=True)
    title = models.CharField(_("title"), max_length=255, blank=True)
    changed_at = models.DateTimeField(_("last saved"), auto_now=True)
    """When the object was last saved (or revised), whatever changed: the dashboard's "newest"."""
    reads = models.PositiveIntegerField(_("reads in the last 30 days"), default=0)
    """How often the object was read lately, from the reach counts (``set_reads``): the
    dashboard's "most read"."""

    class Meta:
        verbose_name = _("translation status")
        verbose_name_plural = _("translation statuses")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "language"], name="one_status_per_language"
            )
        ]
        indexes = [
            models.Index(
                fields=["language", "state", "content_type", "topic"], name="translation_counts"
            ),
            models.Index(fields=["language", "state", "-changed_at"], name="translation_newest"),
            models.Index(fields=["language", "state", "-reads"], name="translation_most_read"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language}): {self.state}"
