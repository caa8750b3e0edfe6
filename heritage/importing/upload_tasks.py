"""Background tasks checking and importing an officer's upload, so no request waits on them.

Ten thousand rows take about half a minute to check and as long to import: longer than a web
request should last behind a proxy. The admin queues these tasks and shows the import's page,
which refreshes itself until the task has written its report.
"""

import logging

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from heritage.importing.importer import ImportReport, import_records
from heritage.models.imports import ImportStatus, RecordImport

logger = logging.getLogger(__name__)


def report_data(report: ImportReport) -> dict[str, list[list[object]]]:
    """An import report as the JSON an import keeps."""
    return {
        "outcomes": [
            [outcome.row, outcome.external_id, outcome.title, str(outcome.action)]
            for outcome in report.outcomes
        ],
        "errors": [[error.row, error.column, error.message] for error in report.errors],
    }


def run(upload: RecordImport, *, dry_run: bool) -> None:
    """Check or import the upload in its officer's language, and keep the report.

    After an error, or once imported, the file is deleted. An unexpected failure is reported to
    the officer as such (nothing was imported: the import is one transaction) and re-raised.
    """
    with translation.override(upload.language):
        try:
            report = import_records(upload.path, upload.name, user=upload.user, dry_run=dry_run)
        except Exception:
            logger.exception("Import %s failed", upload.pk)
            message = _("The import failed unexpectedly; nothing was imported. Try again later.")
            finish(upload, ImportStatus.REFUSED, {"outcomes": [], "errors": [[0, "", message]]})
            raise
    if report.errors:
        status = ImportStatus.REFUSED
    else:
        status = ImportStatus.CHECKED if dry_run else ImportStatus.IMPORTED
    finish(upload, status, report_data(report))


def finish(upload: RecordImport, status: str, report: dict[str, list[list[object]]]) -> None:
    """Record the outcome; the file is kept only while it waits for the officer's confirmation."""
    upload.status = status
    upload.report = report
    upload.finished_at = timezone.now()
    upload.save(update_fields=["status", "report", "finished_at"])
    if status != ImportStatus.CHECKED:
        upload.path.unlink(missing_ok=True)


@task()
def process_upload(import_id: str) -> str:
    """Check an upload being checked (a dry run), or import one being imported.

    An upload in any other state has been dealt with already (a task run twice): left alone.
    """
    upload = RecordImport.objects.select_related("user").get(pk=import_id)
    if upload.busy:
        run(upload, dry_run=upload.status == ImportStatus.CHECKING)
    return upload.status


def queue(upload: RecordImport) -> None:
    """Queue the upload's check or import, once the current transaction commits."""
    transaction.on_commit(lambda: process_upload.enqueue(str(upload.pk)))
