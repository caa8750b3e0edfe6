"""Tombstones: what the OAI-PMH repository still tells of records it no longer holds."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from heritage.models.reference import EthnicGroup


class RecordTombstone(models.Model):
    """A record that was public and live, and is no longer: deleted, unpublished or narrowed.

    Harvesters that copied the record learn of its going from this, as a deleted header. It
    keeps the record's OAI identifier (its primary key), when it went, and the sets it was in
    at that moment, and nothing else: no title or any other text of the record. It goes when the
    record is public and live again. Records that were never public and live never get one.
    """

    record_id = models.BigIntegerField(_("record id"), primary_key=True)
    deleted_at = models.DateTimeField(_("withdrawn at"))
    kind = models.CharField(_("kind"), max_length=20)
    ethnic_groups = models.ManyToManyField(
        EthnicGroup, verbose_name=_("ethnic groups"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("record tombstone")
        indexes = [
            # Harvests walk tombstones and records together in (datestamp, identifier) order.
            models.Index(fields=["deleted_at", "record_id"], name="heritage_tombstone_harvest"),
        ]

    def __str__(self) -> str:
        return str(self.record_id)
