"""What the archive remembers of an image or recording no media item holds any more."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FileAudience(models.Model):
    """Who may still see an image or recording after the last media item holding it went.

    While media items hold a file, they decide who sees it (``heritage.file_audience``). When
    the last one is deleted or given another file, the file keeps the audience of its last
    holders, as tokens (``heritage.audience``), with cultural officers standing in for the
    public: a file without a live public holder is never public, and a file a secret record
    used stays its custodians' after the record is gone. Files no media item ever held (an
    article's photographs) have no row and stay public.
    """

    image = models.OneToOneField(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    media = models.OneToOneField(
        "media.MediaAsset",
        verbose_name=_("audio or video"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    audience = models.CharField(
        _("audience"),
        max_length=2000,
        blank=True,
        help_text=_("Audience tokens, each between spaces, so a token is found with contains."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("audience of a released file")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(image__isnull=True, media__isnull=False)
                | models.Q(image__isnull=False, media__isnull=True),
                name="file_audience_image_xor_media",
            )
        ]

    def __str__(self) -> str:
        return str(self.image or self.media or "")
