"""An officer's import of records from a spreadsheet, checked then written by background tasks."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def import_folder() -> Path:
    """Where uploads wait between their check and their import: private, never served."""
    return Path(settings.VAR_DIR) / "imports"


class ImportStatus(models.TextChoices):
    """Where an import stands."""

    CHECKING = "checking", _("being checked")
    CHECKED = "checked", _("checked")
    IMPORTING = "importing", _("being imported")
    IMPORTED = "imported", _("imported")
    REFUSED = "refused", _("refused")


class RecordImport(models.Model):
    """One uploaded CSV, XLSX or ZIP file, its check and its import, for the officer who sent it.

    ``report`` holds what the check or the import found, in the officer's language:
    ``{"outcomes": [[row, external_id, title, action], …], "errors": [[row, column, message], …]}``.
    The file is deleted once imported or refused.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), on_delete=models.CASCADE
    )
    name = models.CharField(_("file name"), max_length=255)
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.CHECKING
    )
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("record import")
        verbose_name_plural = _("record imports")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.name

    @property
    def path(self) -> Path:
        """Where the uploaded file waits."""
        return import_folder() / str(self.id)

    @property
    def busy(self) -> bool:
        """Whether a task is working on it now."""
        return self.status in (ImportStatus.CHECKING, ImportStatus.IMPORTING)

    def counts(self) -> dict[str, int]:
        """Rows to create, update and leave unchanged, from the report."""
        actions = [outcome[3] for outcome in self.report.get("outcomes", [])]
        return {
            "created": actions.count("create"),
            "updated": actions.count("update"),
            "unchanged": actions.count("unchanged"),
        }
