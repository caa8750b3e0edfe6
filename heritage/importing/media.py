"""Media files of a ZIP import, put through exactly the forms an upload in the admin goes through.

Images go through Wagtail's image form with ``media.forms.SafeImageForm`` as its base (Wagtail's
checks, then a re-encoding without metadata); audio and video through wagtailmedia's form with
``media.forms.MediaAssetForm`` as its base (probed by ``inspect_upload``, then queued for
processing once the import commits). Checking reads each file once and keeps nothing; storing
checks it again as it saves it, and remembers every stored file so that a failed import deletes
them.
"""

import hashlib
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import (
    SimpleUploadedFile,
    TemporaryUploadedFile,
    UploadedFile,
)
from django.forms import ModelForm
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.models import Collection
from wagtail.permissions import policy_registry
from wagtailmedia.forms import get_media_form
from wagtailmedia.settings import wagtailmedia_settings

from heritage.importing.files import MediaArchive
from heritage.importing.layout import CellError
from media.ffmpeg import media_settings
from media.models import MediaAsset


@dataclass(frozen=True)
class CheckedFile:
    """A file of the ZIP that passed the upload checks, and the hash the library keeps of it.

    ``digest`` is what a stored copy would have: the SHA-1 of the re-encoded image (Wagtail's
    ``file_hash``) or the SHA-256 of the recording (``MediaAsset.source_hash``).
    """

    path: str
    kind: str
    digest: str


def media_kind(path: str) -> str:
    """``image``, ``audio`` or ``video``, from the file's extension."""
    extension = PurePosixPath(path).suffix.lower().lstrip(".")
    if extension in settings.WAGTAILIMAGES_EXTENSIONS:
        return "image"
    if extension in wagtailmedia_settings.AUDIO_EXTENSIONS:
        return "audio"
    if extension in wagtailmedia_settings.VIDEO_EXTENSIONS:
        return "video"
    accepted = [
        *settings.WAGTAILIMAGES_EXTENSIONS,
        *wagtailmedia_settings.AUDIO_EXTENSIONS,
        *wagtailmedia_settings.VIDEO_EXTENSIONS,
    ]
    raise CellError(
        _("“%(path)s” is not an image, audio or video file we accept (%(extensions)s).")
        % {"path": path, "extensions": ", ".join(accepted)}
    )


class _HashingWriter:
    """A file-like target that also hashes what is written to it."""

    def __init__(self, target: Any) -> None:
        self.target = target
        self.hash = hashlib.sha256()

    def write(self, data: bytes) -> None:
        """Write and hash."""
        self.hash.update(data)
        self.target.write(data)


class ImportedMedia:
    """Checks and stores the media files a ZIP import names, as ``user`` (``None``: operator)."""

    def __init__(self, archive: MediaArchive | None, user: Any) -> None:
        self.archive = archive
        self.user = user
        self.checked: dict[str, CheckedFile] = {}
        self.stored: dict[str, tuple[str, int]] = {}
        self.stored_files: list[str] = []

    def check(self, path: str) -> CheckedFile:
        """Check a file named by a row (once per path); raise ``CellError`` saying what is wrong."""
        if path not in self.checked:
            kind = media_kind(path)
            with self._form(path, kind) as form:
                uploaded = form.cleaned_data["file"]
                if kind == "image":
                    uploaded.seek(0)
                    digest = hashlib.sha1(uploaded.read(), usedforsecurity=False).hexdigest()
                else:
                    digest = form.instance.source_hash
            self.checked[path] = CheckedFile(path, kind, digest)
        return self.checked[path]

    def store(self, path: str) -> tuple[str, int]:
        """Save a checked file into the library: ``("image", pk)`` or ``("media", pk)``."""
        if path not in self.stored:
            kind = media_kind(path)
            with self._form(path, kind) as form:
                if self.user is not None and self.user.is_authenticated:
                    form.instance.uploaded_by_user = self.user
                saved = form.save()
            self.stored_files.append(saved.file.name)
            self.stored[path] = ("image" if kind == "image" else "media", saved.pk)
        return self.stored[path]

    def delete_stored_files(self) -> None:
        """Remove every file this import stored (its rows are rolled back with the transaction)."""
        for name in self.stored_files:
            default_storage.delete(name)
        self.stored_files.clear()
        self.stored.clear()

    @contextmanager
    def _form(self, path: str, kind: str) -> Iterator[ModelForm]:
        """The admin's upload form for the file, validated; raise ``CellError`` if it refuses."""
        archive = self.archive
        if archive is None:
            raise CellError(_("Media files can only be imported from a ZIP file."))
        entry = archive.entry(path)
        name = PurePosixPath(entry.filename).name
        model = get_image_model() if kind == "image" else MediaAsset
        policy = policy_registry.get_by_type(model)
        if self.user is not None and not policy.user_has_permission(self.user, "add"):
            raise CellError(
                _("You may not upload images.")
                if kind == "image"
                else _("You may not upload audio or video.")
            )
        collection = (
            Collection.get_first_root_node()
            if self.user is None
            else policy.collections_user_has_permission_for(self.user, "add").first()
        )
        data = {"title": PurePosixPath(name).stem, "collection": collection.pk, "tags": ""}
        with uploaded_file(archive, entry, kind) as (uploaded, digest):
            if kind == "image":
                form = get_image_form(model)(data=data, files={"file": uploaded}, user=self.user)
            else:
                form = get_media_form(model)(
                    data={**data, "language": "", "transcript": ""},
                    files={"file": uploaded},
                    instance=MediaAsset(type=kind, source_hash=digest),
                    user=self.user,
                )
            if not form.is_valid():
                messages = [str(message) for errors in form.errors.values() for message in errors]
                raise CellError(
                    _("“%(path)s”: %(reason)s") % {"path": path, "reason": " ".join(messages)}
                )
            yield form


@contextmanager
def uploaded_file(
    archive: MediaArchive, entry: zipfile.ZipInfo, kind: str
) -> Iterator[tuple[UploadedFile, str]]:
    """A ZIP entry as an uploaded file (in memory for images, on disk for recordings).

    Also gives the SHA-256 of its bytes.
    """
    name = PurePosixPath(entry.filename).name
    if kind == "image":
        buffer = io.BytesIO()
        writer = _HashingWriter(buffer)
        archive.read(entry, writer, settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE)
        yield SimpleUploadedFile(name, buffer.getvalue()), writer.hash.hexdigest()
        return
    uploaded = TemporaryUploadedFile(name, "application/octet-stream", entry.file_size, None)
    try:
        writer = _HashingWriter(uploaded)
        archive.read(entry, writer, media_settings()["MAX_UPLOAD_BYTES"])
        uploaded.flush()
        uploaded.seek(0)
        yield uploaded, writer.hash.hexdigest()
    finally:
        uploaded.close()
