"""The admin's import and export of records, under the Heritage menu.

Importing is two steps, each run by a background task: the upload is checked as a dry run and
previewed (what would be created, updated or left unchanged, and every error), then imported
once the officer confirms. Each upload has its own page, which refreshes itself while a task
works on it. Between the two steps the file waits in a private folder (``import_folder()``), never
served; it is deleted once imported or refused, and abandoned files after a day.
"""

import io
import time
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from heritage.exporting import FORMATS, export_records
from heritage.importing.importer import Action
from heritage.importing.upload_tasks import queue
from heritage.models import HeritageRecord
from heritage.models.imports import ImportStatus, RecordImport, import_folder
from media.ffmpeg import media_settings

IMPORT_PERMISSION = "heritage.add_heritagerecord"
EXPORT_PERMISSIONS = (
    "heritage.view_heritagerecord",
    "heritage.add_heritagerecord",
    "heritage.change_heritagerecord",
)
PENDING_LIFETIME_SECONDS = 24 * 3600
PREVIEW_ROWS = 200
"""Rows listed in the preview; the counts cover them all."""
RECENT_IMPORTS = 10
REFRESH_SECONDS = 2


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
    """Delete uploads that were checked but never imported."""
    folder = import_folder()
    if not folder.exists():
        return
    cutoff = time.time() - PENDING_LIFETIME_SECONDS
    for path in folder.iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


class ImportPermissionMixin:
    """Only officers who may add records may import."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Refuse anyone else."""
        if not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def _officer(request: HttpRequest) -> User:
    """The officer ``ImportPermissionMixin`` let in, who is signed in."""
    assert isinstance(request.user, User)  # an anonymous user has no permission
    return request.user


class RecordImportView(ImportPermissionMixin, WagtailAdminTemplateMixin, View):
    """Upload a file to import, see one's recent imports, and export."""

    template_name = "heritage/admin/import.html"
    page_title = gettext_lazy("Import and export records")
    header_icon = "upload"

    def get(self, request: HttpRequest) -> HttpResponse:
        """The upload form, the officer's recent imports and the export links."""
        return self.render_to_response(self.get_context_data(form=UploadForm()))

    def post(self, request: HttpRequest) -> HttpResponse:
        """Keep the upload and queue its check; the officer follows it on its own page."""
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        uploaded = form.cleaned_data["file"]
        forget_old_uploads()
        import_folder().mkdir(mode=0o700, parents=True, exist_ok=True)
        upload = RecordImport(user=_officer(request), name=uploaded.name, language=get_language())
        with upload.path.open("wb") as stored:
            for chunk in uploaded.chunks():
                stored.write(chunk)
        upload.save()
        queue(upload)
        return redirect("heritage_records_import:detail", pk=upload.pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """The form, the officer's recent imports and the export formats."""
        context = super().get_context_data(**kwargs)
        officer = _officer(self.request)
        context["imports"] = RecordImport.objects.filter(user=officer)[:RECENT_IMPORTS]
        context["export_formats"] = [
            ("csv", _("CSV for Excel")),
            ("xlsx", _("Excel workbook (XLSX)")),
            ("dc", _("Dublin Core XML")),
        ]
        return context


class ImportDetailView(ImportPermissionMixin, WagtailAdminTemplateMixin, View):
    """One upload: its check, its preview and the confirmation, then what the import did."""

    template_name = "heritage/admin/import_detail.html"
    page_title = gettext_lazy("Import")
    header_icon = "upload"

    def get_upload(self, request: HttpRequest, pk: str) -> RecordImport:
        """The officer's own upload; anyone else's is not found."""
        upload = RecordImport.objects.filter(pk=pk, user=_officer(request)).first()
        if upload is None:
            raise Http404
        return upload

    def get(self, request: HttpRequest, pk: str) -> HttpResponse:
        """Where the upload stands; the page refreshes itself while a task works on it."""
        upload = self.get_upload(request, pk)
        response = self.render_to_response(self.get_context_data(upload=upload))
        if upload.busy:
            response["Refresh"] = str(REFRESH_SECONDS)
        return response

    def post(self, request: HttpRequest, pk: str) -> HttpResponse:
        """Confirm a checked upload: queue its import."""
        upload = self.get_upload(request, pk)
        # One update from "checked" to "importing": a second click finds nothing to confirm.
        confirmed = RecordImport.objects.filter(pk=upload.pk, status=ImportStatus.CHECKED).update(
            status=ImportStatus.IMPORTING, language=get_language()
        )
        if not confirmed or not upload.path.is_file():
            messages.error(request, _("This upload has expired; upload the file again."))
            return redirect("heritage_records_import:index")
        queue(upload)
        return redirect("heritage_records_import:detail", pk=upload.pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """The upload, its counts, its errors and the first rows of its preview."""
        context = super().get_context_data(**kwargs)
        upload: RecordImport = kwargs["upload"]
        outcomes = upload.report.get("outcomes", [])
        context["counts"] = upload.counts()
        context["errors"] = upload.report.get("errors", [])
        context["preview"] = [
            (row, external_id, title, Action(action).label)
            for row, external_id, title, action in outcomes[:PREVIEW_ROWS]
        ]
        context["hidden_rows"] = max(len(outcomes) - PREVIEW_ROWS, 0)
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
