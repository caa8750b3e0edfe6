"""Reach without tracking people: counts, never a person (``outreach.page_views``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.languages import django_languages


class PageViews(models.Model):
    """How many times a page was read in a language on a day (Vietnam time).

    Only the count is kept: no cookie, address, browser or time of day of anyone who read it.
    Written in batches, each adding to the day's row (``outreach.page_views.write``).
    """

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8, choices=django_languages())
    day = models.DateField(_("day"))
    views = models.PositiveBigIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("page views")
        verbose_name_plural = _("page views")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "language", "day"], name="one_count_per_page_language_day"
            )
        ]
        indexes = [models.Index(fields=["day"], name="page_views_day")]

    def __str__(self) -> str:
        return f"{self.page_id} · {self.language} · {self.day}: {self.views}"
