"""The admin's import and export of records, under the Heritage menu.

Importing is two steps: the upload is checked as a dry run and previewed (what would be created,
updated or left unchanged, and every error), then imported for real once the officer confirms.
Between the two the file waits in a private temporary folder under a random name that only the
officer's session knows; it is deleted once imported, and abandoned files after a day.
"""

import io
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from heritage.exporting import FORMATS, export_records
from heritage.importing.importer import ImportReport, import_records
from heritage.models import HeritageRecord
from media.ffmpeg import media_settings

IMPORT_PERMISSION = "heritage.add_heritagerecord"
EXPORT_PERMISSIONS = (
    "heritage.view_heritagerecord",
    "heritage.add_heritagerecord",
    "heritage.change_heritagerecord",
)
SESSION_KEY = "heritage_import_uploads"
PENDING_FOLDER = Path(tempfile.gettempdir()) / "banlang-record-imports"
PENDING_LIFETIME_SECONDS = 24 * 3600
PREVIEW_ROWS = 200
"""Rows listed in the preview; the counts cover them all."""


class UploadForm(forms.Form):
    """The file to import."""

    file = forms.FileField(
        label=gettext_lazy("CSV, XLSX or ZIP file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.zip"}),
        help_text=gettext_lazy(
            "One row per record, in the columns of the export. A ZIP holds one CSV or XLSX file "
            "and the photos and recordings its rows name."
        ),
    )

    def clean_file(self) -> Any:
        """Refuse what is too large or of the wrong type before anything reads it."""
        uploaded = self.cleaned_data["file"]
        limit = media_settings()["MAX_UPLOAD_BYTES"]
        if uploaded.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB.") % {"limit": limit // 1024**2}
            )
        if not uploaded.name.lower().endswith((".csv", ".xlsx", ".zip")):
            raise forms.ValidationError(_("Upload a CSV, XLSX or ZIP file."))
        return uploaded


def forget_old_uploads() -> None:
    """Delete uploads that were previewed but never imported."""
    if not PENDING_FOLDER.exists():
        return
    cutoff = time.time() - PENDING_LIFETIME_SECONDS
    for path in PENDING_FOLDER.iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


class RecordImportView(WagtailAdminTemplateMixin, View):
    """Upload, preview and confirm an import of records."""

    template_name = "heritage/admin/import.html"
    page_title = gettext_lazy("Import and export records")
    header_icon = "upload"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Only officers who may add records may import."""
        if not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        """The upload form and the export links."""
        return self.render_to_response(self.get_context_data(form=UploadForm()))

    def post(self, request: HttpRequest) -> HttpResponse:
        """Preview an upload, or import one already previewed."""
        if "token" in request.POST:
            return self.confirm(request, request.POST["token"])
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        uploaded = form.cleaned_data["file"]
        forget_old_uploads()
        PENDING_FOLDER.mkdir(mode=0o700, parents=True, exist_ok=True)
        token = secrets.token_urlsafe(24)
        path = PENDING_FOLDER / token
        with path.open("wb") as stored:
            for chunk in uploaded.chunks():
                stored.write(chunk)
        report = import_records(path, uploaded.name, user=request.user, dry_run=True)
        if report.errors:
            path.unlink(missing_ok=True)
            token = ""
        else:
            pending = request.session.get(SESSION_KEY, {})
            pending[token] = uploaded.name
            request.session[SESSION_KEY] = pending
        return self.render_to_response(
            self.get_context_data(form=UploadForm(), report=report, name=uploaded.name, token=token)
        )

    def confirm(self, request: HttpRequest, token: str) -> HttpResponse:
        """Import a previewed upload; nothing is written if a row has become wrong since."""
        pending = request.session.get(SESSION_KEY, {})
        name = pending.pop(token, None)
        request.session[SESSION_KEY] = pending
        path = PENDING_FOLDER / token
        if name is None or not path.is_file():
            messages.error(request, _("This upload has expired; upload the file again."))
            return redirect("heritage_records_import:index")
        try:
            report = import_records(path, name, user=request.user)
        finally:
            path.unlink(missing_ok=True)
        if report.errors:
            return self.render_to_response(
                self.get_context_data(form=UploadForm(), report=report, name=name, token="")
            )
        messages.success(
            request,
            _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
            },
        )
        return redirect(reverse("wagtailsnippets_heritage_heritagerecord:list"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """The form, the preview if any, and the export formats."""
        context = super().get_context_data(**kwargs)
        report: ImportReport | None = kwargs.get("report")
        if report is not None:
            context["preview"] = report.outcomes[:PREVIEW_ROWS]
            context["hidden_rows"] = max(len(report.outcomes) - PREVIEW_ROWS, 0)
        context["export_formats"] = [
            ("csv", _("CSV for Excel")),
            ("xlsx", _("Excel workbook (XLSX)")),
            ("dc", _("Dublin Core XML")),
        ]
        return context


def export_view(request: HttpRequest, kind: str) -> HttpResponse:
    """Download the records the officer may see, in the import's layout or as Dublin Core."""
    if kind not in FORMATS:
        raise PermissionDenied
    if not any(request.user.has_perm(permission) for permission in EXPORT_PERMISSIONS):
        raise PermissionDenied
    content_type, extension = FORMATS[kind]
    records = HeritageRecord.objects.visible_to(request.user)
    output = io.BytesIO()
    export_records(records, output, kind, request.user)
    response = HttpResponse(output.getvalue(), content_type=content_type)
    filename = f"heritage-records-{timezone.localdate().isoformat()}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
