"""Interface strings translated in the admin: the one store every worker shares.

The committed catalogues (``locale/<code>/LC_MESSAGES/django.po``) stay the base: they hold every
message id and whatever translations were committed. A translation saved here wins over the
committed one; each worker compiles the two together (``cms.interface_reload``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InterfaceTranslation(models.Model):
    """A translator's translation of one interface string (an English message id, with its
    context and plural if it has them) into one language."""

    language = models.CharField(_("language"), max_length=8)
    msgctxt = models.CharField(_("context"), max_length=200, blank=True)
    msgid = models.TextField(_("English text"))
    msgid_plural = models.TextField(_("English plural"), blank=True)
    msgstr = models.TextField(_("translation"), blank=True)
    msgstr_plural = models.JSONField(
        _("plural forms"),
        default=list,
        blank=True,
        help_text=_("The translation's forms, in the order of the language's plural rule."),
    )
    translated_at = models.DateTimeField(_("translated at"), auto_now=True)
    translated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("translated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("interface string translation")
        verbose_name_plural = _("interface string translations")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "msgctxt", "msgid"], name="one_translation_per_message"
            )
        ]

    def __str__(self) -> str:
        return f"{self.msgid} ({self.language})"


class InterfaceCatalogueVersion(models.Model):
    """The version of one language's interface catalogue as translated in the admin, new on
    every save: a worker whose compiled catalogue is of another version compiles it again."""

    language = models.CharField(_("language"), max_length=8, unique=True)
    version = models.UUIDField(default=uuid.uuid4)
    changed_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("interface catalogue version")

    def __str__(self) -> str:
        return f"{self.language}: {self.version}"

    @classmethod
    def bump(cls, language: str) -> None:
        """Give ``language``'s catalogue a new version (call it in the saving transaction)."""
        cls.objects.update_or_create(language=language, defaults={"version": uuid.uuid4()})
