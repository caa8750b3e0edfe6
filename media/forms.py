"""Admin forms that refuse unsafe uploads before anything is stored."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import willow
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from wagtail.images.forms import BaseImageForm
from wagtailmedia.forms import BaseMediaForm

from media.errors import MediaRejected
from media.images import ImageRejected, clean_image
from media.validation import ProbeResult, inspect_upload


@contextmanager
def uploaded_path(uploaded: UploadedFile) -> Iterator[Path]:
    """A path to the uploaded bytes: Django's temporary file, or a copy of an in-memory one."""
    if hasattr(uploaded, "temporary_file_path"):
        yield Path(uploaded.temporary_file_path())
        return
    with tempfile.NamedTemporaryFile(prefix="banlang-upload-") as copy:
        for chunk in uploaded.chunks():
            copy.write(chunk)
        copy.flush()
        uploaded.seek(0)
        yield Path(copy.name)


class MediaAssetForm(BaseMediaForm):
    """Upload form for audio and video: the file is probed and checked before it is saved."""

    probe_result: ProbeResult | None = None

    def clean_file(self) -> UploadedFile:
        """Refuse files that are not audio or video we accept, with the reason."""
        uploaded = self.cleaned_data.get("file")
        if uploaded and "file" in self.changed_data:
            with uploaded_path(uploaded) as path:
                try:
                    self.probe_result = inspect_upload(path)
                except MediaRejected as rejection:
                    raise forms.ValidationError(rejection.message, code=rejection.code) from None
        return uploaded

    def save(self, commit: bool = True) -> Any:
        """Mark a new file for processing; the background task picks it up after commit."""
        if self.probe_result is not None:
            asset = self.instance
            probe = self.probe_result
            asset.type = probe.kind
            asset.probe = probe.as_dict()
            asset.duration = probe.duration
            asset.width = probe.width or None
            asset.height = probe.height or None
            asset.mark_for_processing()
        return super().save(commit=commit)


class SafeImageForm(BaseImageForm):
    """Image upload form that stores the picture re-encoded, without metadata."""

    def clean_file(self) -> UploadedFile:
        """Replace the upload by its clean re-encoding (after Wagtail's own checks)."""
        uploaded = self.cleaned_data.get("file")
        if not uploaded or "file" not in self.changed_data:
            return uploaded
        uploaded.seek(0)
        try:
            clean = clean_image(uploaded.read())
        except ImageRejected as rejection:
            raise forms.ValidationError(str(rejection), code="unsafe_image") from None
        replacement = SimpleUploadedFile(uploaded.name, clean.data, clean.content_type)
        replacement.image = willow.Image.open(replacement)  # type: ignore[attr-defined]  # read by wagtail
        replacement.content_type = clean.content_type
        replacement.seek(0)
        return replacement
