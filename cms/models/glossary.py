"""Agreed translations of terms, per language, that translators share."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class GlossaryTerm(models.Model):
    """A Vietnamese term (an agency, a programme, a health or farming word) and its agreed
    translation into one language: shown to translators beside the fields whose Vietnamese
    holds it, and sent with translation files, so that every translator writes it alike."""

    class Category(models.TextChoices):
        """What kind of term it is."""

        AGENCY = "agency", _("Agency or office")
        PROGRAMME = "programme", _("Programme or policy")
        HEALTH = "health", _("Health")
        FARMING = "farming", _("Farming")
        OTHER = "other", _("Other")

    language = models.CharField(_("language"), max_length=8)
    term = models.CharField(_("Vietnamese term"), max_length=200)
    translation = models.CharField(_("translation"), max_length=200)
    category = models.CharField(
        _("kind of term"), max_length=16, choices=Category.choices, default=Category.OTHER
    )
    note = models.TextField(
        _("note"), blank=True, help_text=_("What it means, or how to use it (optional).")
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary")
        ordering = ["language", "term"]
        constraints = [
            models.UniqueConstraint(fields=["language", "term"], name="one_entry_per_term")
        ]

    def __str__(self) -> str:
        return f"{self.term} → {self.translation} ({self.language})"
